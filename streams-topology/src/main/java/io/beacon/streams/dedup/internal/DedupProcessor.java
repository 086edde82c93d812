package io.beacon.streams.dedup.internal;

import io.beacon.event.DqFact;
import io.beacon.event.Event;
import io.beacon.streams.dedup.Deduplication;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Forwards the first copy of each {@code (project, event id)} within the horizon as {@link DedupOutput.Unique};
 * the rest are counted and forwarded as {@link DedupOutput.Duplicate} facts instead of the event; see
 * {@link Deduplication} for the semantics. The store maps the dedup key to the {@code received_at} of the
 * first copy, stored at that timestamp.
 */
public final class DedupProcessor implements FixedKeyProcessor<String, Event, DedupOutput> {
    private final long horizonMs;
    private FixedKeyProcessorContext<String, DedupOutput> context;
    private WindowStore<String, Long> store;
    private Sensor duplicates;

    public DedupProcessor(Duration horizon) {
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, DedupOutput> context) {
        this.context = context;
        this.store = context.getStateStore(Deduplication.STORE_NAME);
        this.duplicates = context.metrics().addRateTotalSensor(Deduplication.METRIC_SCOPE,
                context.taskId().toString(), Deduplication.METRIC_NAME, Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, Event> record) {
        Event event = record.value();
        String key = Deduplication.key(event.projectId(), event.eventId());
        long seenAt = event.receivedAt();
        if (seenWithinHorizon(key, seenAt)) {
            duplicates.record();
            context.forward(record.withValue(new DedupOutput.Duplicate(new DqFact(event.projectId(), DqFact.Stage.DUPLICATE,
                    Deduplication.FACT_CODE, event.eventName(), event.eventId(), seenAt))));
            return;
        }
        store.put(key, seenAt, seenAt);
        context.forward(record.withValue(new DedupOutput.Unique(event)));
    }

    private boolean seenWithinHorizon(String key, long at) {
        long from = at - horizonMs < 0 ? 0 : at - horizonMs;
        long to = at > Long.MAX_VALUE - horizonMs ? Long.MAX_VALUE : at + horizonMs;
        try (WindowStoreIterator<Long> hits = store.fetch(key, from, to)) {
            return hits.hasNext();
        }
    }

    @Override
    public void close() {
        if (duplicates != null) {
            context.metrics().removeSensor(duplicates);
        }
    }
}
