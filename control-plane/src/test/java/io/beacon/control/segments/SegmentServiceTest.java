package io.beacon.control.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConflictException;
import io.beacon.control.store.InMemoryConfigStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SegmentServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final SegmentService service = new SegmentService(store, Clock.fixed(NOW, ZoneOffset.UTC));

    private static SegmentDefinition def(String id, Rule rule) {
        return new SegmentDefinition("shop", id, "Segment " + id, null, rule, 0, 0);
    }

    @Test
    void shouldStoreAVersionedDocumentThatReadsBackEqual() {
        Rule rule = new Rule.And(List.of(new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2),
                new Rule.Not(new Rule.NotSeenFor(Duration.ofDays(3)))));

        SegmentDefinition stored = service.put(def("repeat", rule), 0).toCompletableFuture().join();

        assertEquals(1, stored.version());
        assertEquals(NOW.toEpochMilli(), stored.updatedAtMs());
        assertEquals(rule, stored.rule());
        ConfigEntry raw = store.get(SegmentDefinition.key("shop", "repeat")).orElseThrow();
        assertEquals("2026-11-25T10:00:00Z", raw.document().path("updated_at").asText());
        assertEquals("purchase", raw.document().path("rule").path("and").path(0).path("event_count").path("event").asText());
        assertEquals(stored, service.get("shop", "repeat").orElseThrow());
        assertEquals(List.of(stored), service.list("shop"));
        assertTrue(service.list("other").isEmpty());
    }

    @Test
    void shouldBumpTheVersionOnUpdateAndRefuseAStaleOne() {
        service.put(def("a", new Rule.LastSeenWithin(Duration.ofHours(1))), 0).toCompletableFuture().join();
        SegmentDefinition v2 = service.put(def("a", new Rule.LastSeenWithin(Duration.ofHours(2))), 1).toCompletableFuture().join();

        assertEquals(2, v2.version());
        CompletionException stale = assertThrows(CompletionException.class,
                () -> service.put(def("a", new Rule.LastSeenWithin(Duration.ofHours(3))), 1).toCompletableFuture().join());
        assertInstanceOf(ConflictException.class, stale.getCause());
        assertEquals(new Rule.LastSeenWithin(Duration.ofHours(2)), service.get("shop", "a").orElseThrow().rule());
    }

    @Test
    void shouldTellTheCatalogAboutCreatesUpdatesAndDeletes() throws Exception {
        service.put(def("b", new Rule.LastSeenWithin(Duration.ofHours(1))), 0).toCompletableFuture().join();
        try (SegmentCatalog catalog = new SegmentCatalog(store)) {
            List<String> changed = new ArrayList<>();
            catalog.onChange(changed::add);
            assertEquals(List.of("b"), catalog.segments("shop").stream().map(SegmentDefinition::id).toList());

            service.put(def("a", new Rule.NotSeenFor(Duration.ofDays(1))), 0).toCompletableFuture().join();
            assertEquals(List.of("a", "b"), catalog.segments("shop").stream().map(SegmentDefinition::id).toList());

            service.delete("shop", "b", 1).toCompletableFuture().join();
            assertEquals(List.of("a"), catalog.segments("shop").stream().map(SegmentDefinition::id).toList());
            assertEquals(List.of("shop", "shop"), changed);
            assertTrue(service.get("shop", "b").isEmpty());
        }
    }
}
