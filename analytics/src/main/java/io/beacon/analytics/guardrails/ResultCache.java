package io.beacon.analytics.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Results of analyses by cache key ({@link io.beacon.analytics.guardrails.CacheKey}), bounded by entry count and
 * total serialized size (least recently used evicted first) and expiring after a TTL. A key includes the data
 * watermark, so new data makes a new key; the TTL only bounds staleness that the watermark cannot see (none
 * known) and memory. Thread-safe (one lock; entries are immutable JSON trees that callers must not modify).
 */
public final class ResultCache {
    private record Entry(ObjectNode result, long bytes, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public ResultCache(Duration ttl, int maxEntries, long maxBytes, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
    }

    public boolean enabled() {
        return ttlNanos > 0 && maxEntries > 0;
    }

    public synchronized Optional<ObjectNode> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (nanoClock.getAsLong() - e.expiresAtNanos >= 0) {
            remove(key);
            return Optional.empty();
        }
        return Optional.of(e.result);
    }

    /** Stores {@code result} (of serialized size {@code size}); results larger than the whole budget are not cached. */
    public synchronized void put(String key, ObjectNode result, long size) {
        if (!enabled() || size > maxBytes) {
            return;
        }
        remove(key);
        entries.put(key, new Entry(result, size, nanoClock.getAsLong() + ttlNanos));
        bytes += size;
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            bytes -= eldest.getValue().bytes;
            it.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    private void remove(String key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.bytes;
        }
    }
}
