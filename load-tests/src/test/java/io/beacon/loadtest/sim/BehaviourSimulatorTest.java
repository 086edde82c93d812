package io.beacon.loadtest.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.IncomingRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BehaviourSimulatorTest {
    private static final BehaviourSimulator.Simulation SIM = new BehaviourSimulator(SimulatorSettings.of(7, 400)).run();

    @Test
    void shouldGenerateIdenticalEventsForTheSameSeed() {
        BehaviourSimulator.Simulation again = new BehaviourSimulator(SimulatorSettings.of(7, 400)).run();
        assertEquals(SIM.events(), again.events());
        assertEquals(SIM.truth(), again.truth());
    }

    @Test
    void shouldGenerateOtherEventsForAnotherSeed() {
        BehaviourSimulator.Simulation other = new BehaviourSimulator(SimulatorSettings.of(8, 400)).run();
        assertNotEquals(SIM.truth(), other.truth());
        assertNotEquals(SIM.events().get(0).json(), other.events().get(0).json());
    }

    @Test
    void shouldGiveAUserTheSameHistoryWhenAskedAlone() {
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(7, 400));
        List<SimEvent> fromRun = SIM.events().stream().filter(e -> e.userIndex() == 57).toList();
        assertEquals(fromRun, sim.user(57).events());
        assertEquals(SIM.truth(), sim.groundTruth());
        assertEquals(SIM.events(), sim.events().toList());
    }

    @Test
    void shouldTallyEventCountsByNameThatMatchTheEvents() {
        Map<String, Long> counted = SIM.events().stream()
                .collect(Collectors.groupingBy(SimEvent::eventName, TreeMap::new, Collectors.counting()));
        assertEquals(counted, SIM.truth().countsByName());
        assertEquals(SIM.events().size(), SIM.truth().events());
        assertEquals(SIM.events().stream().map(SimEvent::sessionId).distinct().count(), SIM.truth().sessions());
        assertEquals(SIM.events().stream().map(SimEvent::messageId).distinct().count(), SIM.events().size(), "unique message ids");
    }

    @Test
    void shouldTallyFunnelStepsThatMatchOrderedStepsWithinSessions() {
        // Given the funnel recomputed from the events: the deepest step reached in order in each session
        Map<String, List<SimEvent>> bySession = SIM.events().stream()
                .collect(Collectors.groupingBy(SimEvent::sessionId, LinkedHashMap::new, Collectors.toList()));
        long[] sessions = new long[FunnelStep.values().length];
        Map<Integer, Integer> deepestByUser = new HashMap<>();
        for (List<SimEvent> session : bySession.values()) {
            int next = 0;
            for (SimEvent e : session) {
                if (next < FunnelStep.values().length && e.eventName().equals(FunnelStep.values()[next].eventName())) {
                    next++;
                }
            }
            for (int s = 0; s < next; s++) {
                sessions[s]++;
            }
            deepestByUser.merge(session.get(0).userIndex(), next - 1, Math::max);
        }
        long[] users = new long[FunnelStep.values().length];
        deepestByUser.values().forEach(d -> {
            for (int s = 0; s <= d; s++) {
                users[s]++;
            }
        });
        // Then the tallied truth agrees
        assertEquals(toList(sessions), SIM.truth().funnelSessions());
        assertEquals(toList(users), SIM.truth().funnelUsers());
        // and every step loses users: a funnel with drop-offs
        List<Long> f = SIM.truth().funnelUsers();
        for (int s = 1; s < f.size(); s++) {
            assertTrue(f.get(s) < f.get(s - 1) && f.get(s) > 0, "funnel narrows at step " + s + ": " + f);
        }
    }

    @Test
    void shouldTallyPurchasersOrdersAndRevenueThatMatchTheJson() {
        List<SimEvent> orders = SIM.events().stream()
                .filter(e -> e.funnelStep() == FunnelStep.ORDER_COMPLETED).toList();
        BigDecimal revenueInJson = BigDecimal.ZERO;
        for (SimEvent order : orders) {
            JsonNode item = json(order);
            revenueInJson = revenueInJson.add(item.get("properties").get("revenue").decimalValue());
            assertEquals("USD", item.get("properties").get("currency").asText());
            assertTrue(item.hasNonNull("userId"), "orders are placed logged in");
        }
        assertEquals(orders.size(), SIM.truth().orders());
        assertEquals(orders.stream().mapToLong(SimEvent::revenueCents).sum(), SIM.truth().revenueCents());
        assertEquals(BigDecimal.valueOf(SIM.truth().revenueCents(), 2), revenueInJson.setScale(2));
        assertEquals(orders.stream().map(SimEvent::userIndex).distinct().count(), SIM.truth().purchasers());
        assertTrue(SIM.truth().purchasers() > 0);
    }

    @Test
    void shouldSendUserIdOnlyFromTheIdentifyOn() {
        Set<Integer> identified = new HashSet<>();
        for (SimEvent e : SIM.events()) {
            JsonNode item = json(e);
            if (e.type() == EventType.IDENTIFY) {
                assertTrue(identified.add(e.userIndex()), "one login per user");
                assertTrue(item.get("traits").hasNonNull("plan"));
            }
            assertEquals(identified.contains(e.userIndex()), item.hasNonNull("userId"), e.messageId());
            assertTrue(item.hasNonNull("anonymousId"));
        }
        assertEquals(identified.size(), SIM.truth().identifiedUsers());
    }

    @Test
    void shouldLetTheChurnersActivityDecay() {
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(11, 2_000).withDays(10).withChurnFraction(0.3));
        Instant lateDays = SimulatorSettings.DEFAULT_START.plusSeconds(7L * 86_400);
        long churners = 0;
        long others = 0;
        long churnerLate = 0;
        long otherLate = 0;
        for (int i = 0; i < 2_000; i++) {
            UserHistory h = sim.user(i);
            long late = h.events().stream().filter(e -> e.timeMillis() >= lateDays.toEpochMilli()).count();
            if (h.profile().churner()) {
                churners++;
                if (h.profile().churnDay() < 6) {
                    churnerLate += late;
                } else {
                    churners--;
                }
            } else {
                others++;
                otherLate += late;
            }
        }
        assertTrue(churners > 100 && others > 1_000, churners + " churners, " + others + " others");
        double churnerRate = (double) churnerLate / churners;
        double otherRate = (double) otherLate / others;
        assertTrue(churnerRate < otherRate * 0.3, "late-day events per churner " + churnerRate + " vs " + otherRate);
        assertEquals(sim.groundTruth().churners(),
                java.util.stream.IntStream.range(0, 2_000).filter(i -> sim.user(i).profile().churner()).count());
    }

    @Test
    void shouldSpreadUsersOverPlatformsAndTimezonesWithDaytimeSessions() {
        assertEquals(Set.of("web", "ios", "android"), SIM.truth().usersByPlatform().keySet());
        assertTrue(SIM.truth().usersByTimezone().size() >= 7, SIM.truth().usersByTimezone().toString());
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(7, 400));
        for (int i = 0; i < 400; i += 7) {
            UserHistory h = sim.user(i);
            ZoneId zone = ZoneId.of(h.profile().timezone());
            Set<String> seen = new HashSet<>();
            for (SimEvent e : h.events()) {
                if (seen.add(e.sessionId())) {
                    LocalTime local = Instant.ofEpochMilli(e.timeMillis()).atZone(zone).toLocalTime();
                    assertFalse(local.isBefore(LocalTime.of(8, 0)), "session starts in local daytime: " + local);
                }
            }
        }
    }

    @Test
    void shouldProduceItemsBeaconMapsToTheExpectedEvents() {
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(7, 400));
        List<String> problems = new ArrayList<>();
        for (SimEvent e : SIM.events()) {
            IncomingRequest.Prepared p = IncomingRequest.prepare(0, json(e), "proj", e.timeMillis() + 1_000, "127.0.0.1", null);
            if (!p.accepted()) {
                problems.add(e.messageId() + ": " + p.rejection());
                continue;
            }
            assertEquals(e.messageId(), p.event().eventId());
            assertEquals(e.eventName(), p.event().eventName());
            assertEquals(e.timeMillis(), p.event().eventTime());
            assertEquals(e.sessionId(), p.event().sessionId());
            assertEquals(sim.user(e.userIndex()).profile().platform().column(), p.event().platform());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void shouldKeepEachUsersEventsInTimeOrder() {
        Map<Integer, Long> last = new HashMap<>();
        for (SimEvent e : SIM.events()) {
            Long before = last.put(e.userIndex(), e.timeMillis());
            assertTrue(before == null || before < e.timeMillis(), "user " + e.userIndex() + " in order");
            assertTrue(e.funnelStep() == null || e.funnelStep().eventName().equals(e.eventName()));
        }
        assertNull(SIM.events().stream().filter(e -> e.revenueCents() > 0 && e.funnelStep() != FunnelStep.ORDER_COMPLETED)
                .findAny().orElse(null));
    }

    private static JsonNode json(SimEvent e) {
        try {
            return EventCodec.mapper().readTree(e.json());
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static List<Long> toList(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
