package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.project.EnforcementMode;
import io.beacon.event.Event;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.streams.discovery.Discovery;
import io.beacon.streams.discovery.internal.DiscoveryCollector;
import io.beacon.streams.discovery.internal.DiscoveryStores;
import io.beacon.streams.ingest.IngestResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The discover stage keeps an in-memory copy of its pending store: after a restore (crash, revival,
 * migration) it must start from what the store holds, so that the deltas it forwards still add up to
 * every observation whose input offset committed.
 */
class DiscoveryCollectorRestoreTest {
    private static final Duration INTERVAL = Duration.ofSeconds(5);

    @Test
    void shouldAddNewObservationsToWhatTheRestoredStoreHolds() {
        RegistryFixture fixture = new RegistryFixture();
        fixture.project("blog", EnforcementMode.PERMISSIVE);
        MockProcessorContext<String, DiscoveredItem> context = new MockProcessorContext<>();
        KeyValueStore<String, DiscoveredItem> pending = DiscoveryStores.pending().withLoggingDisabled().withCachingDisabled().build();
        pending.init(context.getStateStoreContext(), pending);
        context.addStateStore(pending);

        // Given a store restored with deltas counted before a crash
        long t = Envelopes.RECEIVED_AT;
        pending.put("blog/event/Signup Started", new DiscoveredItem("blog", io.beacon.control.discovery.DiscoveryKind.EVENT,
                "Signup Started", 7, t - 10_000, t - 5_000, Map.of()));
        pending.put("blog/property/plan", DiscoveredItem.property("blog", "plan", "string", t - 9_000));

        // When a collector initialises on it and sees one more event
        DiscoveryCollector collector = new DiscoveryCollector(fixture.rules, INTERVAL);
        collector.init(context);
        Event event = mapped(Envelopes.track("blog", "evt-1", "user-1", "Signup Started", Map.of("plan", 3)));
        collector.process(new Record<>("blog:user-1", new IngestResult.Accepted(event, new byte[0]), t));
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(t + 1);

        // Then the deltas it forwards are the restored counts plus the new observation, and the store is emptied
        Map<String, DiscoveredItem> forwarded = context.forwarded().stream()
                .collect(Collectors.toMap(f -> f.record().key(), f -> f.record().value()));
        assertEquals(2, forwarded.size());
        DiscoveredItem signup = forwarded.get("blog/event/Signup Started");
        assertEquals(8, signup.volume());
        assertEquals(t - 10_000, signup.firstSeen());
        assertEquals(Envelopes.RECEIVED_AT, signup.lastSeen());
        DiscoveredItem plan = forwarded.get("blog/property/plan");
        assertEquals(2, plan.volume());
        assertEquals(Map.of("number", 1L, "string", 1L), plan.typeCounts());
        assertEquals(0, pending.approximateNumEntries());

        // And a second initialisation (a revived task) on the emptied store starts from nothing
        context.resetForwards();
        collector.init(context);
        collector.process(new Record<>("blog:user-1", new IngestResult.Accepted(event, new byte[0]), t));
        context.scheduledPunctuators().get(1).getPunctuator().punctuate(t + 2);
        assertEquals(List.of(1L, 1L), context.forwarded().stream().map(f -> f.record().value().volume()).toList());
        assertEquals(Discovery.PENDING_STORE, pending.name());
    }

    private static Event mapped(RawEnvelope envelope) {
        return ((MappingResult.Mapped) EventMapper.map(envelope)).event();
    }
}
