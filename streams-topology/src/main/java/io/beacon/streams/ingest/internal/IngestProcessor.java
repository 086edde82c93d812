package io.beacon.streams.ingest.internal;

import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.ingest.RawRecordIngest;
import io.beacon.streams.ingest.RecordSource;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Kafka shell around {@link RawRecordIngest}: supplies the record's topic/partition/offset (only the
 * Processor API exposes them) and the stream task's wall clock for {@code failedAt}, and forwards
 * exactly one result per input.
 */
public final class IngestProcessor implements FixedKeyProcessor<String, byte[], IngestResult> {
    private FixedKeyProcessorContext<String, IngestResult> context;

    @Override
    public void init(FixedKeyProcessorContext<String, IngestResult> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        RecordSource source = context.recordMetadata()
                .map(m -> new RecordSource(m.topic(), m.partition(), m.offset()))
                .orElseGet(RecordSource::unknown);
        context.forward(record.withValue(RawRecordIngest.ingest(record.value(), source, context.currentSystemTimeMs())));
    }
}
