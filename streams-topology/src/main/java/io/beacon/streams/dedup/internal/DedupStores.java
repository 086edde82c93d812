package io.beacon.streams.dedup.internal;

import io.beacon.streams.dedup.Deduplication;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/** Builds the dedup window store. */
public final class DedupStores {
    private DedupStores() {
    }

    /**
     * A persistent (RocksDB) window store named {@link Deduplication#STORE_NAME} that keeps entries for
     * {@code horizon}, with change logging on (the default, stated for the reader) so it is restored after
     * a restart or on another instance. Retention and window size are both the horizon, duplicates are not
     * retained (a put for the same key and time overwrites).
     */
    public static StoreBuilder<WindowStore<String, Long>> windowStore(Duration horizon) {
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(Deduplication.STORE_NAME, horizon, horizon, false),
                        Serdes.String(), Serdes.Long())
                .withLoggingEnabled(Map.of());
    }
}
