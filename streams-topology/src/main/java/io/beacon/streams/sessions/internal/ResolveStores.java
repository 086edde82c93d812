package io.beacon.streams.sessions.internal;

import io.beacon.streams.identity.Identity;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.internal.JsonSerdes;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.Sessions;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The stores of the identify-and-sessionize stage: persistent (RocksDB), logged to compacted changelogs. */
public final class ResolveStores {
    private ResolveStores() {
    }

    public static StoreBuilder<KeyValueStore<String, IdentityLink>> identity() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Identity.STORE_NAME), Serdes.String(),
                JsonSerdes.json(IdentityLink.class)).withLoggingEnabled(Map.of());
    }

    public static StoreBuilder<KeyValueStore<String, DeviceState>> devices() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessions.DEVICE_STORE), Serdes.String(),
                JsonSerdes.json(DeviceState.class)).withLoggingEnabled(Map.of());
    }
}
