package io.beacon.engine.store;

/** RocksDB failed; the partition's state cannot be trusted until the store is reopened or restored. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
