package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.Rule;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConflictException;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.event.RefusedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DestinationServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<InetAddress>> DNS = Map.of(
            "hooks.example.com", List.of(ip("93.184.216.34")),
            "intranet.example.com", List.of(ip("192.168.10.20")));

    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final SegmentService segments = new SegmentService(store);
    private final DestinationService service = service(store, false);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private DestinationService service(ConfigStore on, boolean allowPrivate) {
        return new DestinationService(on, new SegmentService(on),
                new DestinationAddresses(allowPrivate, h -> DNS.getOrDefault(h, List.of())), Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
    }

    private static DestinationDefinition def(String id, String url, String subscriptions) {
        try {
            JsonNode body = JSON.readTree("{\"id\":\"" + id + "\",\"name\":\"Hooks " + id + "\",\"type\":\"webhook\",\"url\":\"" + url
                    + "\",\"subscriptions\":" + subscriptions + "}");
            return DestinationJson.parseBody(body, "shop", null);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static DestinationDefinition def(String id) {
        return def(id, "https://hooks.example.com/beacon", "[]");
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static Throwable failure(CompletionStage<?> stage) {
        return assertThrows(CompletionException.class, () -> join(stage)).getCause();
    }

    @Test
    void shouldStoreAVersionedDocumentThatReadsBackEqual() {
        DestinationDefinition d = def("dst_a");

        DestinationDefinition stored = join(service.put(d, 0));

        assertEquals(1, stored.version());
        assertEquals(NOW.toEpochMilli(), stored.updatedAtMs());
        assertEquals(d.withVersion(1, NOW.toEpochMilli()), stored);
        ConfigEntry raw = store.get(DestinationDefinition.key("shop", "dst_a")).orElseThrow();
        assertEquals("2026-12-07T10:00:00Z", raw.document().path("updated_at").asText());
        assertEquals(d.secrets().get(0), raw.document().path("secrets").path(0).asText());
        assertEquals(stored, service.get("shop", "dst_a").orElseThrow());
        assertEquals(List.of(stored), service.list("shop"));
        assertTrue(service.list("other").isEmpty());
    }

    @Test
    void shouldBumpTheVersionOnUpdateAndRefuseAStaleOne() {
        join(service.put(def("a"), 0));
        DestinationDefinition v2 = join(service.put(def("a", "https://hooks.example.com/v2", "[]"), 1));

        assertEquals(2, v2.version());
        assertInstanceOf(ConflictException.class, failure(service.put(def("a", "https://hooks.example.com/v3", "[]"), 1)));
        assertInstanceOf(ConflictException.class, failure(service.put(def("a"), 0)));
        assertEquals("https://hooks.example.com/v2", service.get("shop", "a").orElseThrow().url());
        join(service.delete("shop", "a", 2));
        assertTrue(service.get("shop", "a").isEmpty());
        assertInstanceOf(InvalidDocumentException.class, failure(service.delete("shop", "a", 0)));
    }

    @Test
    void shouldRefuseAPrivateAddressNamingTheUrlFieldAndWriteNothing() {
        for (String url : List.of("http://127.0.0.1:9000/hook", "https://intranet.example.com/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data", "https://unresolvable.example.com/")) {
            InvalidDocumentException e = assertInstanceOf(InvalidDocumentException.class, failure(service.put(def("d", url, "[]"), 0)));
            assertEquals("url", e.first().field(), url);
        }
        assertEquals(List.of(), store.list(DestinationDefinition.KIND));
    }

    @Test
    void shouldAllowLoopbackWhenConfigured() {
        DestinationDefinition stored = join(service(store, true).put(def("local", "http://127.0.0.1:9000/hook", "[]"), 0));
        assertEquals(1, stored.version());
    }

    @Test
    void shouldRefuseAnUnknownSegmentNamingTheSubscriptionAndWriteNothing() {
        segments.put(new SegmentDefinition("shop", "vip", "VIP", null, new Rule.LastSeenWithin(Duration.ofDays(1)), 0, 0), 0)
                .toCompletableFuture().join();
        segments.put(new SegmentDefinition("other", "gold", "Gold", null, new Rule.LastSeenWithin(Duration.ofDays(1)), 0, 0), 0)
                .toCompletableFuture().join();

        InvalidDocumentException e = assertInstanceOf(InvalidDocumentException.class, failure(service.put(def("d",
                "https://hooks.example.com/", "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},{\"on\":\"segment_exited\",\"segment\":\"gold\"}]"), 0)));

        assertEquals("subscriptions[1].segment", e.first().field());
        assertTrue(e.first().message().contains("'gold'"), e.first().message());
        assertEquals(List.of(), store.list(DestinationDefinition.KIND));
        DestinationDefinition ok = join(service.put(def("d", "https://hooks.example.com/",
                "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},{\"on\":\"event\",\"event\":\"gold\"}]"), 0));
        assertEquals(2, ok.subscriptions().size());
    }

    @Test
    void shouldDisableWithAReasonAndClearItOnReEnable() {
        join(service.put(def("a"), 0));

        DestinationDefinition disabled = join(service.setEnabled("shop", "a", false, "410 Gone"));
        assertEquals(2, disabled.version());
        assertFalse(disabled.enabled());
        assertEquals("410 Gone", disabled.disabledReason());
        assertEquals("410 Gone", store.get(disabled.key()).orElseThrow().document().path("disabled_reason").asText());

        DestinationDefinition again = join(service.setEnabled("shop", "a", false, "410 Gone"));
        assertEquals(2, again.version(), "no new version when nothing changes");

        DestinationDefinition enabled = join(service.setEnabled("shop", "a", true, "recovered"));
        assertEquals(3, enabled.version());
        assertTrue(enabled.enabled());
        assertNull(enabled.disabledReason());
        assertFalse(store.get(enabled.key()).orElseThrow().document().has("disabled_reason"));
        assertEquals(def("a").secrets().size(), enabled.secrets().size());
    }

    @Test
    void shouldKeepTheSystemReasonOnAnApiUpdateOfADisabledDestinationAndClearItOnReEnable() {
        DestinationDefinition created = join(service.put(def("a"), 0));
        join(service.setEnabled("shop", "a", false, "failing for 5 days"));

        DestinationDefinition renamed = join(service.put(created.withEnabled(false, null), 2));
        assertEquals("failing for 5 days", renamed.disabledReason());

        DestinationDefinition reEnabled = join(service.put(created.withEnabled(true, null), 3));
        assertTrue(reEnabled.enabled());
        assertNull(reEnabled.disabledReason());
    }

    @Test
    void shouldRetrySetEnabledAfterLosingAVersionRace() {
        RacingStore racing = new RacingStore(store, 2);
        DestinationService s = service(racing, false);
        join(s.put(def("a"), 0));
        racing.armed = true;

        DestinationDefinition disabled = join(s.setEnabled("shop", "a", false, "410 Gone"));

        assertEquals(3, racing.conflicts.get(), "two lost races and the winning write");
        assertFalse(disabled.enabled());
        assertEquals(4, disabled.version(), "v1 + two competing writes + this one");
        assertEquals("https://hooks.example.com/competing", disabled.url(), "the competing write is kept");
    }

    @Test
    void shouldGiveUpSetEnabledAfterFiveLostRaces() {
        RacingStore racing = new RacingStore(store, Integer.MAX_VALUE);
        DestinationService s = service(racing, false);
        join(s.put(def("a"), 0));
        racing.armed = true;

        assertInstanceOf(ConflictException.class, failure(s.setEnabled("shop", "a", false, "410 Gone")));
        assertEquals(DestinationService.SET_ENABLED_ATTEMPTS, racing.conflicts.get());
    }

    @Test
    void shouldRefuseSetEnabledOfAnUnknownDestination() {
        RefusedException e = assertInstanceOf(RefusedException.class, failure(service.setEnabled("shop", "nope", false, "x")));
        assertEquals(RefusedException.Kind.NOT_FOUND, e.kind());
    }

    /** A store where another writer updates the destination just before each of the next {@code races} writes. */
    private static final class RacingStore implements ConfigStore {
        private final InMemoryConfigStore delegate;
        private final int races;
        final AtomicInteger conflicts = new AtomicInteger();
        volatile boolean armed;

        RacingStore(InMemoryConfigStore delegate, int races) {
            this.delegate = delegate;
            this.races = races;
        }

        @Override
        public CompletionStage<ConfigEntry> putAsync(ConfigKey key, JsonNode document, long expectedVersion) {
            if (armed) {
                int n = conflicts.incrementAndGet();
                if (n <= races) {
                    ConfigEntry now = delegate.get(key).orElseThrow();
                    ObjectNode competing = now.documentCopy().put("url", "https://hooks.example.com/competing");
                    delegate.put(key, competing, now.version());
                }
            }
            return delegate.putAsync(key, document, expectedVersion);
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public Optional<ConfigEntry> get(ConfigKey key) {
            return delegate.get(key);
        }

        @Override
        public List<ConfigEntry> list(String kind, String project) {
            return delegate.list(kind, project);
        }

        @Override
        public List<ConfigEntry> list(String kind) {
            return delegate.list(kind);
        }

        @Override
        public CompletionStage<Void> deleteAsync(ConfigKey key, long expectedVersion) {
            return delegate.deleteAsync(key, expectedVersion);
        }

        @Override
        public AutoCloseable addListener(String kind, Consumer<Change> listener, boolean replayCurrent) {
            return delegate.addListener(kind, listener, replayCurrent);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
