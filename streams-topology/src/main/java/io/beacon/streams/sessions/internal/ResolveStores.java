package io.beacon.streams.sessions.internal;

import io.beacon.streams.identity.Identity;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.internal.CompactSerdes;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.Sessions;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores of the identify-and-sessionize stage: persistent (RocksDB), logged to compacted changelogs.
 * Values in the internal compact format ({@link CompactSerdes}), which also reads the JSON of earlier
 * versions, so existing state (on disk or restored from a changelog) stays readable after an upgrade.
 * Both are cached: a device's state is written once per event, and consecutive events of one device
 * usually fall into one commit interval, so the cache sends the changelog (and RocksDB) one write per
 * key per commit instead of one per event. Under {@code exactly_once_v2} the cache is flushed before
 * each commit, so what commits is the same.
 */
public final class ResolveStores {
    private ResolveStores() {
    }

    public static StoreBuilder<KeyValueStore<String, IdentityLink>> identity() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Identity.STORE_NAME), Serdes.String(),
                CompactSerdes.identityLink()).withLoggingEnabled(Map.of()).withCachingEnabled();
    }

    public static StoreBuilder<KeyValueStore<String, DeviceState>> devices() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessions.DEVICE_STORE), Serdes.String(),
                CompactSerdes.deviceState()).withLoggingEnabled(Map.of()).withCachingEnabled();
    }
}
