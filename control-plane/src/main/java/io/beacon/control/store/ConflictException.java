package io.beacon.control.store;

/**
 * An optimistic-concurrency failure: the expected version was not the current one, or another
 * writer's record with the same base version came first. Nothing of this write is visible. The admin
 * API answers 409 {@code VERSION_CONFLICT}.
 */
public final class ConflictException extends RuntimeException {
    private final ConfigKey key;
    private final long expectedVersion;
    private final long currentVersion;

    public ConflictException(ConfigKey key, long expectedVersion, long currentVersion) {
        super(key + ": expected version " + expectedVersion + " but the current version is " + currentVersion, null, false, false);
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.currentVersion = currentVersion;
    }

    public ConfigKey key() {
        return key;
    }

    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version the writer's view held when the conflict was decided (0 = absent). */
    public long currentVersion() {
        return currentVersion;
    }
}
