package io.beacon.warehouse;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * How the events sink batches and retries ({@code beacon.sink} in {@code reference.conf}).
 *
 * @param groupId             Kafka consumer group ({@value #GROUP_ID}), default {@code beacon-sink}
 * @param batchSize           rows per insert at most ({@value #BATCH_SIZE}), default 5,000
 * @param flushInterval       longest time a row waits before its batch is inserted ({@value #FLUSH_INTERVAL}), default 1 s
 * @param retryBackoffInitial delay before the first retry of a failed insert ({@value #RETRY_BACKOFF_INITIAL}), default 200 ms
 * @param retryBackoffMax     cap of the doubling retry delay ({@value #RETRY_BACKOFF_MAX}), default 10 s
 * @param maxAttempts         attempts per batch before the sink stops without committing
 *                            ({@value #MAX_ATTEMPTS}); 0 = unlimited, the default
 */
public record SinkSettings(
        String groupId,
        int batchSize,
        Duration flushInterval,
        Duration retryBackoffInitial,
        Duration retryBackoffMax,
        int maxAttempts) {

    /** Kafka consumer group id. */
    public static final String GROUP_ID = "beacon.sink.group-id";
    /** Rows per insert at most. */
    public static final String BATCH_SIZE = "beacon.sink.batch-size";
    /** Longest time a buffered row waits before it is inserted. */
    public static final String FLUSH_INTERVAL = "beacon.sink.flush-interval";
    /** First retry delay after a failed insert. */
    public static final String RETRY_BACKOFF_INITIAL = "beacon.sink.retry-backoff-initial";
    /** Upper bound of the retry delay. */
    public static final String RETRY_BACKOFF_MAX = "beacon.sink.retry-backoff-max";
    /** Attempts per batch before giving up (0 = unlimited). */
    public static final String MAX_ATTEMPTS = "beacon.sink.max-attempts";

    public SinkSettings {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(retryBackoffInitial, "retryBackoffInitial");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        if (batchSize < 1) {
            throw new IllegalArgumentException(BATCH_SIZE + " must be at least 1: " + batchSize);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be 0 (unlimited) or positive: " + maxAttempts);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException(FLUSH_INTERVAL + " must be positive: " + flushInterval);
        }
    }

    /** The defaults of {@code reference.conf}. */
    public static SinkSettings defaults() {
        return new SinkSettings("beacon-sink", 5_000, Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ofSeconds(10), 0);
    }

    public static SinkSettings fromConfig(Config config) {
        return new SinkSettings(
                config.getString(GROUP_ID),
                config.getInt(BATCH_SIZE),
                config.getDuration(FLUSH_INTERVAL),
                config.getDuration(RETRY_BACKOFF_INITIAL),
                config.getDuration(RETRY_BACKOFF_MAX),
                config.getInt(MAX_ATTEMPTS));
    }

    public SinkSettings withGroupId(String id) {
        return new SinkSettings(id, batchSize, flushInterval, retryBackoffInitial, retryBackoffMax, maxAttempts);
    }

    public SinkSettings withBatchSize(int size) {
        return new SinkSettings(groupId, size, flushInterval, retryBackoffInitial, retryBackoffMax, maxAttempts);
    }

    public SinkSettings withFlushInterval(Duration interval) {
        return new SinkSettings(groupId, batchSize, interval, retryBackoffInitial, retryBackoffMax, maxAttempts);
    }

    public SinkSettings withRetry(Duration initial, Duration max, int attempts) {
        return new SinkSettings(groupId, batchSize, flushInterval, initial, max, attempts);
    }
}
