package io.beacon.streams.internal;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record whose key or value cannot be deserialized to the DLQ and continues. The topology reads
 * raw values as bytes and keys as strings, which cannot fail, so this is a safety net for future sources.
 */
public final class DeadLetterDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationExceptionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetterRecords.dlqTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn("cannot deserialize {}-{}@{}; sending it to {}", record.topic(), record.partition(), record.offset(),
                dlqTopic, exception);
        return Response.resume(List.of(DeadLetterRecords.of(dlqTopic, context, record.value(), "deserialize",
                exception, System.currentTimeMillis())));
    }
}
