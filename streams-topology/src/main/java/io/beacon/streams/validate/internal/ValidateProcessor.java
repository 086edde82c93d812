package io.beacon.streams.validate.internal;

import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.ingest.RecordSource;
import io.beacon.streams.validate.EventValidation;
import io.beacon.streams.validate.RegistryRules;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Kafka shell around {@link EventValidation}: accepted events are validated (and become accepted or
 * refused), refusals of earlier stages pass through; exactly one result per input.
 */
public final class ValidateProcessor implements FixedKeyProcessor<String, IngestResult, IngestResult> {
    private final RegistryRules rules;
    private FixedKeyProcessorContext<String, IngestResult> context;

    public ValidateProcessor(RegistryRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, IngestResult> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, IngestResult> record) {
        if (!(record.value() instanceof IngestResult.Accepted accepted)) {
            context.forward(record);
            return;
        }
        RecordSource source = context.recordMetadata()
                .map(m -> new RecordSource(m.topic(), m.partition(), m.offset()))
                .orElseGet(RecordSource::unknown);
        context.forward(record.withValue(EventValidation.validate(accepted.event(), accepted.original(), rules, source,
                context.currentSystemTimeMs())));
    }
}
