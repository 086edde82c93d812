package io.beacon.streams.internal;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens when an output record cannot be written:
 * <ul>
 *   <li>retriable errors are retried;</li>
 *   <li>an output that is too large, or cannot be serialized, is replaced by a dead letter holding the
 *       source record's original bytes, and processing continues;</li>
 *   <li>anything else, and any failure to write to the DLQ itself, fails the task (the thread is then
 *       replaced and the record reprocessed): never a silent skip.</li>
 * </ul>
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetterRecords.dlqTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (exception instanceof RecordTooLargeException && !dlqTopic.equals(record.topic())) {
            LOG.warn("output to {} from {}-{}@{} is too large; sending the source record to {}", record.topic(),
                    context.topic(), context.partition(), context.offset(), dlqTopic, exception);
            return Response.resume(List.of(DeadLetterRecords.of(dlqTopic, context, context.sourceRawValue(), "produce",
                    exception, System.currentTimeMillis())));
        }
        LOG.error("cannot write to {} (from {}-{}@{}); failing the task", record.topic(), context.topic(),
                context.partition(), context.offset(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (dlqTopic.equals(record.topic())) {
            LOG.error("cannot serialize a dead letter (from {}-{}@{}); failing the task", context.topic(),
                    context.partition(), context.offset(), exception);
            return Response.fail();
        }
        LOG.error("cannot serialize the {} of an output to {} (from {}-{}@{}); sending the source record to {}",
                origin, record.topic(), context.topic(), context.partition(), context.offset(), dlqTopic, exception);
        return Response.resume(List.of(DeadLetterRecords.of(dlqTopic, context, context.sourceRawValue(), "serialize",
                exception, System.currentTimeMillis())));
    }
}
