package io.beacon.warehouse.sink;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for the data-quality tests ({@code beacon.sink.fault-injection.*}; off by default, never for
 * production): the events sink leaves out every event whose id starts with {@code drop-prefix} (as if its insert had
 * been lost), and holds the first batch holding an event whose id starts with {@code delay-prefix} for
 * {@code delay} (a late batch). Dropped events are counted ({@link #dropped()}) and logged by the sink at start.
 */
public final class SinkFaultInjection {
    public static final String DROP_PREFIX = "beacon.sink.fault-injection.drop-prefix";
    public static final String DELAY_PREFIX = "beacon.sink.fault-injection.delay-prefix";
    public static final String DELAY = "beacon.sink.fault-injection.delay";
    private static final SinkFaultInjection NONE = new SinkFaultInjection("", "", Duration.ZERO);
    private final String dropPrefix;
    private final String delayPrefix;
    private final Duration delay;
    private final AtomicBoolean delayed = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();

    SinkFaultInjection(String dropPrefix, String delayPrefix, Duration delay) {
        this.dropPrefix = dropPrefix;
        this.delayPrefix = delayPrefix;
        this.delay = delay;
    }

    public static SinkFaultInjection none() {
        return NONE;
    }

    public static SinkFaultInjection fromConfig(Config config) {
        String drop = config.hasPath(DROP_PREFIX) ? config.getString(DROP_PREFIX) : "";
        String delayPrefix = config.hasPath(DELAY_PREFIX) ? config.getString(DELAY_PREFIX) : "";
        Duration delay = config.hasPath(DELAY) ? config.getDuration(DELAY) : Duration.ZERO;
        return drop.isEmpty() && delayPrefix.isEmpty() ? NONE : new SinkFaultInjection(drop, delayPrefix, delay);
    }

    public boolean isActive() {
        return this != NONE;
    }

    /** True when the event is to be left out; holds the calling (sink) thread once for the delayed batch. */
    boolean drop(String eventId) {
        if (!delayPrefix.isEmpty() && eventId.startsWith(delayPrefix) && delayed.compareAndSet(false, true)) {
            try {
                Thread.sleep(delay.toMillis()); // the injected late batch: this sink's thread waits, as a slow insert would
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!dropPrefix.isEmpty() && eventId.startsWith(dropPrefix)) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Events left out so far. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "drop ids starting with '" + dropPrefix + "', delay the first batch with an id starting with '" + delayPrefix
                + "' by " + delay;
    }
}
