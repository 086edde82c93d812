package io.beacon.engine.state;

import static io.beacon.engine.state.StateFixtures.T0;
import static io.beacon.engine.state.StateFixtures.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Window;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserStateTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults();
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    /**
     * The window rule written out independently of {@link WindowSpec}: bucket start of the event at or
     * after bucket start of now minus (window length − bucket length).
     */
    private static boolean reference(Window w, long eventMs, long nowMs) {
        long size;
        long length;
        switch (w) {
            case H1 -> { size = MIN; length = HOUR; }
            case H24 -> { size = HOUR; length = DAY; }
            case D7 -> { size = HOUR; length = 7 * DAY; }
            case D30 -> { size = DAY; length = 30 * DAY; }
            default -> { return true; }
        }
        long eventBucketStart = eventMs - Math.floorMod(eventMs, size);
        long nowBucketStart = nowMs - Math.floorMod(nowMs, size);
        return eventBucketStart >= nowBucketStart - (length - size);
    }

    @Test
    void shouldCountEveryWindowExactlyAsTheReferenceRuleOverFortyDaysOfShuffledEvents() {
        Random random = new Random(42);
        UserState s = new UserState("shop", "u1");
        List<Event> events = new ArrayList<>();
        long start = T0 - 40 * DAY;
        String[] names = {"purchase", "view", "$pageview"};
        for (int i = 0; i < 3_000; i++) {
            long t = start + (long) (random.nextDouble() * 40 * DAY);
            // received up to 2 h after it happened; a few events are dated in the future (client clocks)
            long received = random.nextInt(50) == 0 ? t - random.nextInt(3_600_000) : t + random.nextInt(7_200_000);
            events.add(StateFixtures.event("e" + i, EventType.TRACK, names[random.nextInt(names.length)], t, received, "s" + (i / 10),
                    Map.of(), Map.of()));
        }
        // arrival order: by receive time, so event times arrive out of order
        events.sort((a, b) -> Long.compare(a.receivedAt(), b.receivedAt()));
        long clock = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            assertTrue(s.apply(events.get(i), i, SETTINGS));
            clock = Math.max(clock, events.get(i).receivedAt());
        }

        for (long now : new long[] {clock, clock + 1, clock + 37 * MIN, clock + 5 * HOUR + 59_999, clock + 3 * DAY, clock + 29 * DAY}) {
            for (Window w : Window.values()) {
                for (String name : names) {
                    final long at = now;
                    long expected = events.stream().filter(e -> e.eventName().equals(name) && reference(w, e.eventTime(), at)).count();
                    assertEquals(expected, s.count(name, w, now), name + " " + w + " at +" + (now - clock));
                    assertEquals(expected, events.stream().filter(e -> e.eventName().equals(name) && WindowSpec.includes(w, e.eventTime(), at)).count());
                }
            }
        }
    }

    @Test
    void shouldIgnoreAReplayedOffsetAndCountNothingTwice() {
        UserState s = new UserState("shop", "u1");
        Event e = track("e1", "purchase", T0);

        assertTrue(s.apply(e, 10, SETTINGS));
        assertFalse(s.apply(e, 10, SETTINGS));
        assertFalse(s.apply(track("e0", "purchase", T0), 9, SETTINGS));

        assertEquals(1, s.count("purchase", Window.ALL, T0));
        assertEquals(10, s.appliedOffset());
        assertEquals(1, s.lastEvents().size());
    }

    @Test
    void shouldTrackFirstAndLastSeenByEventTime() {
        UserState s = new UserState("shop", "u1");
        s.apply(track("a", "x", T0), 0, SETTINGS);
        s.apply(track("b", "x", T0 - 5_000), 1, SETTINGS);
        s.apply(track("c", "x", T0 + 9_000), 2, SETTINGS);

        assertEquals(T0 - 5_000, s.firstSeenMs());
        assertEquals(T0 + 9_000, s.lastSeenMs());
    }

    @Test
    void shouldCountANewSessionOnlyForIdsNotAmongTheRecentOnes() {
        EngineSettings settings = new EngineSettings(20, 200, 2, Map.of(), "revenue");
        UserState s = new UserState("shop", "u1");
        String[] sessions = {"a", "a", "b", "a", "c", "a", "b", null};
        for (int i = 0; i < sessions.length; i++) {
            s.apply(track("e" + i, "x", T0 + i, sessions[i], Map.of()), i, settings);
        }
        // a(new) a b(new) a c(new, forgets a) a(new again, forgets b) b(new) null(not a session)
        assertEquals(5, s.sessionsCount());
    }

    @Test
    void shouldSumRevenueFromNumbersAndNumericStringsWithPerProjectProperty() {
        EngineSettings settings = EngineSettings.defaults().withRevenueProperty("shop", "amount");
        UserState s = new UserState("shop", "u1");
        s.apply(track("a", "purchase", T0 - 2 * DAY, "s", Map.of("amount", 10.5)), 0, settings);
        s.apply(track("b", "purchase", T0 - HOUR, "s", Map.of("amount", "4.5")), 1, settings);
        s.apply(track("c", "purchase", T0, "s", Map.of("amount", "n/a", "revenue", 99)), 2, settings);
        s.apply(track("d", "purchase", T0, "s", Map.of("amount", 1)), 3, settings);

        assertEquals(16.0, s.revenue(Window.ALL, T0), 1e-9);
        assertEquals(16.0, s.revenue(Window.D7, T0), 1e-9);
        assertEquals(5.5, s.revenue(Window.H24, T0), 1e-9);
        assertEquals(1.0, s.revenue(Window.H1, T0 + 30 * MIN), 1e-9);
        assertEquals("revenue", settings.revenuePropertyFor("other"));
    }

    @Test
    void shouldResolveTraitsByEventTimeWhateverTheArrivalOrder() {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.identify("late", T0 + 100, Map.of("plan", "pro")), 0, SETTINGS);
        s.apply(StateFixtures.identify("early", T0, Map.of("plan", "free", "$set_once", Map.of("source", "ads", "plan", "x"))), 1, SETTINGS);
        s.apply(StateFixtures.identify("first", T0 - 100, Map.of("$set_once", Map.of("source", "seo"))), 2, SETTINGS);
        s.apply(StateFixtures.event("g", EventType.GROUP, "$groupidentify", T0 + 500, T0 + 500, "s1", Map.of(), Map.of("plan", "enterprise")), 3, SETTINGS);

        assertEquals("pro", s.traits().get("plan").asText(), "latest $set wins; set-once never beats $set; group traits ignored");
        assertEquals("seo", s.traits().get("source").asText(), "earliest $set_once wins");
    }

    @Test
    void shouldKeepTheNewestEventsByTimestamp() {
        EngineSettings settings = new EngineSettings(3, 200, 16, Map.of(), "revenue");
        UserState s = new UserState("shop", "u1");
        long[] times = {5, 1, 9, 7, 3};
        for (int i = 0; i < times.length; i++) {
            s.apply(track("e" + times[i], "x", T0 + times[i]), i, settings);
        }
        assertEquals(List.of("e9", "e7", "e5"), s.lastEvents().stream().map(RecentEvent::eventId).toList());
    }

    @Test
    void shouldStopTrackingNewNamesBeyondTheCap() {
        EngineSettings settings = new EngineSettings(20, 2, 16, Map.of(), "revenue");
        UserState s = new UserState("shop", "u1");
        String[] names = {"a", "b", "c", "a", "d"};
        for (int i = 0; i < names.length; i++) {
            s.apply(track("e" + i, names[i], T0), i, settings);
        }
        assertEquals(2, s.count("a", Window.ALL, T0));
        assertEquals(0, s.count("c", Window.ALL, T0));
        assertEquals(2, s.untrackedEvents());
        assertEquals(2, s.eventNames().size());
    }

    @Test
    void shouldReadSettingsFromConfigWithReferenceDefaults() {
        EngineSettings s = EngineSettings.fromConfig(ConfigFactory.parseString(
                "beacon.engine { last-events-kept = 5, revenue-property-by-project { shop = amount } }"));
        assertEquals(5, s.lastEventsKept());
        assertEquals(200, s.maxTrackedEventNames());
        assertEquals(16, s.recentSessionIds());
        assertEquals("amount", s.revenuePropertyFor("shop"));
        assertEquals("revenue", s.revenuePropertyFor("blog"));
        assertEquals(20, EngineSettings.defaults().lastEventsKept());
    }

    @Test
    void shouldBoundMemoryOfACounterToTheRingsWhateverTheHistory() {
        UserState s = new UserState("shop", "u1");
        // one event a minute for 60 days
        for (int i = 0; i < 60 * 24 * 60; i++) {
            s.apply(track("e" + i, "tick", T0 + i * MIN), i, SETTINGS);
        }
        WindowedSeries series = s.counter("tick").series;
        assertTrue(series.minutes.length <= 60, "minutes " + series.minutes.length);
        assertTrue(series.hours.length <= 168, "hours " + series.hours.length);
        assertTrue(series.days.length <= 30, "days " + series.days.length);
        long now = T0 + (60L * 24 * 60 - 1) * MIN;
        assertEquals(60, s.count("tick", Window.H1, now));
        assertEquals(60L * 24 * 60, s.count("tick", Window.ALL, now));
    }
}
