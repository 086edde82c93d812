package io.beacon.streams.internal;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected exception inside a processor (a bug, not bad input: bad input is already a dead letter)
 * sends the source record to the DLQ and continues, instead of failing the thread on the same record
 * forever.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetterRecords.dlqTopic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("processor {} failed on {}-{}@{}; sending the record to {}", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), dlqTopic, exception);
        return Response.resume(List.of(DeadLetterRecords.of(dlqTopic, context, context.sourceRawValue(),
                "processing:" + context.processorNodeId(), exception, System.currentTimeMillis())));
    }
}
