package io.beacon.streams.discovery.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.streams.discovery.Discovery;
import io.beacon.streams.internal.CompactSerdes;
import io.beacon.streams.internal.JsonSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The discovery stores; both are logged (restored after a restart) and cached (fewer changelog writes). */
public final class DiscoveryStores {
    private DiscoveryStores() {
    }

    /**
     * Small and short-lived (cleared every interval): in memory. Written once per observation, so its
     * values use the compact binary format ({@link CompactSerdes#discoveredItem()}, which also reads the
     * JSON an older version left in the changelog).
     */
    public static StoreBuilder<KeyValueStore<String, DiscoveredItem>> pending() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Discovery.PENDING_STORE),
                        Serdes.String(), CompactSerdes.discoveredItem())
                .withLoggingEnabled(Map.of())
                .withCachingEnabled();
    }

    /** One entry per discovered item, kept: RocksDB. */
    public static StoreBuilder<KeyValueStore<String, DiscoveredItem>> totals() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Discovery.TOTALS_STORE),
                        Serdes.String(), JsonSerdes.discoveredItem())
                .withLoggingEnabled(Map.of())
                .withCachingEnabled();
    }
}
