package io.beacon.streams.discovery.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.streams.discovery.Discovery;
import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.validate.RegistryRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * First level of discovery (see {@link Discovery}): sums this task's observations in
 * {@value Discovery#PENDING_STORE} and forwards them, keyed {@code project/kind/name}, every interval.
 * Forwards nothing per input record.
 *
 * <p>Every observation is written to the store at once (so the logged store holds every observation
 * whose input offset commits — what keeps the counts exact across a crash under {@code exactly_once_v2}),
 * but reads come from an in-memory copy of the store's objects: a get on the cached store would decode
 * the value again for every observation. The copy is rebuilt from the store whenever the task is
 * (re)initialised — after a restore, a revival or a migration — and only this processor writes the
 * store, so the two never differ.
 */
public final class DiscoveryCollector implements Processor<String, IngestResult, String, DiscoveredItem> {
    private final RegistryRules rules;
    private final Duration interval;
    private ProcessorContext<String, DiscoveredItem> context;
    private KeyValueStore<String, DiscoveredItem> pending;
    /** The store's content as objects. */
    private final Map<String, DiscoveredItem> current = new HashMap<>();

    public DiscoveryCollector(RegistryRules rules, Duration interval) {
        this.rules = rules;
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, DiscoveredItem> context) {
        this.context = context;
        this.pending = context.getStateStore(Discovery.PENDING_STORE);
        current.clear();
        try (KeyValueIterator<String, DiscoveredItem> all = pending.all()) {
            all.forEachRemaining(kv -> current.put(kv.key, kv.value));
        }
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, IngestResult> record) {
        if (!(record.value() instanceof IngestResult.Accepted accepted)) {
            return;
        }
        String project = accepted.event().projectId();
        for (DiscoveredItem seen : Discovery.observe(accepted.event(), rules.registry(project))) {
            String key = seen.key();
            DiscoveredItem merged = seen.merge(current.get(key));
            pending.put(key, merged);
            current.put(key, merged);
        }
    }

    private void flush(long now) {
        List<KeyValue<String, DiscoveredItem>> deltas = new ArrayList<>();
        try (KeyValueIterator<String, DiscoveredItem> all = pending.all()) {
            all.forEachRemaining(deltas::add);
        }
        for (KeyValue<String, DiscoveredItem> delta : deltas) {
            context.forward(new Record<>(delta.key, delta.value, now));
            pending.delete(delta.key);
            current.remove(delta.key);
        }
    }
}
