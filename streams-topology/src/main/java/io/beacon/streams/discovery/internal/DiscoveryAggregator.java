package io.beacon.streams.discovery.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.streams.discovery.Discovery;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Second level of discovery (see {@link Discovery}): adds the deltas of all tasks into
 * {@value Discovery#TOTALS_STORE} and forwards, every interval, the totals that changed since the last
 * interval. Which keys changed is kept in memory only; after a restart or a rebalance the first
 * interval forwards every total of the task instead, so no change is left unpublished.
 */
public final class DiscoveryAggregator implements Processor<String, DiscoveredItem, String, DiscoveredItem> {
    private final Duration interval;
    private final Set<String> changed = new LinkedHashSet<>();
    private ProcessorContext<String, DiscoveredItem> context;
    private KeyValueStore<String, DiscoveredItem> totals;
    private boolean publishAll = true;

    public DiscoveryAggregator(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, DiscoveredItem> context) {
        this.context = context;
        this.totals = context.getStateStore(Discovery.TOTALS_STORE);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::publish);
    }

    @Override
    public void process(Record<String, DiscoveredItem> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        totals.put(record.key(), record.value().merge(totals.get(record.key())));
        changed.add(record.key());
    }

    private void publish(long now) {
        if (publishAll) {
            try (KeyValueIterator<String, DiscoveredItem> all = totals.all()) {
                all.forEachRemaining(kv -> context.forward(new Record<>(kv.key, kv.value, now)));
            }
            publishAll = false;
        } else {
            for (String key : changed) {
                DiscoveredItem total = totals.get(key);
                if (total != null) {
                    context.forward(new Record<>(key, total, now));
                }
            }
        }
        changed.clear();
    }
}
