package io.beacon.analytics.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResultCacheTest {
    private final AtomicLong nanos = new AtomicLong();

    private static ObjectNode result(int n) {
        return JsonNodeFactory.instance.objectNode().put("n", n);
    }

    @Test
    void shouldExpireEntriesAfterTheTtl() {
        ResultCache cache = new ResultCache(Duration.ofSeconds(10), 10, 1_000, nanos::get);
        cache.put("a", result(1), 10);
        nanos.set(Duration.ofSeconds(9).toNanos());
        assertEquals(result(1), cache.get("a").orElseThrow());
        nanos.set(Duration.ofSeconds(10).toNanos());
        assertTrue(cache.get("a").isEmpty());
        assertEquals(0, cache.bytes());
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedBeyondEntryOrByteBounds() {
        ResultCache cache = new ResultCache(Duration.ofMinutes(1), 2, 100, nanos::get);
        cache.put("a", result(1), 10);
        cache.put("b", result(2), 10);
        cache.get("a");
        cache.put("c", result(3), 10);
        assertTrue(cache.get("b").isEmpty(), "b was least recently used");
        assertTrue(cache.get("a").isPresent() && cache.get("c").isPresent());
        cache.put("d", result(4), 95);
        assertEquals(1, cache.size());
        assertEquals(95, cache.bytes());
        cache.put("huge", result(5), 101);
        assertTrue(cache.get("huge").isEmpty(), "larger than the whole budget: not cached");
    }

    @Test
    void shouldBeOffWithAZeroTtl() {
        ResultCache cache = new ResultCache(Duration.ZERO, 10, 100, nanos::get);
        assertFalse(cache.enabled());
        cache.put("a", result(1), 1);
        assertTrue(cache.get("a").isEmpty());
    }
}
