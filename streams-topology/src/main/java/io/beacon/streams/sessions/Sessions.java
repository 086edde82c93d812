package io.beacon.streams.sessions;

/** Names of the sessionization stage: its store, node and metrics. */
public final class Sessions {
    /** Key-value store {@code project:identity key → DeviceState} (RocksDB, changelogged). */
    public static final String DEVICE_STORE = "session-store";
    /** Sessions merged because a late event bridged them ({@code …-total}, scope {@code beacon-identity}). */
    public static final String MERGES_METRIC = "sessions-merged";

    private Sessions() {
    }
}
