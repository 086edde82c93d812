package io.beacon.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.FeatureVector;
import io.beacon.ml.FeatureWindow;
import io.beacon.ml.feature.FeatureExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserStateFeaturesTest {
    private static final long DAY = WindowSpec.DAY_MS;
    private static final long HOUR = WindowSpec.HOUR_MS;
    /** 2026-11-27T00:00:00Z, a UTC midnight. */
    private static final long MIDNIGHT = Math.floorDiv(StateFixtures.T0, DAY) * DAY;
    private static final long NOW = MIDNIGHT + 10 * HOUR;

    private static UserState stateWith(EngineSettings settings, long... times) {
        UserState s = new UserState("shop", "u1");
        for (int i = 0; i < times.length; i++) {
            s.apply(StateFixtures.event("e" + i, EventType.TRACK, "ev" + (i % 4), times[i], NOW, "s" + i / 2,
                    Map.of("revenue", 10), Map.of()), i, settings);
        }
        return s;
    }

    @Test
    void shouldCountWindowsOnUtcDayBoundariesWithPrevD7TheSevenDaysBeforeTheLastSeven() {
        // today 2x, yesterday, 6 days back (still D7), 7 and 13 days back (PREV_D7), 14 and 29 days back (D30 only), 45 (ALL only)
        UserStateFeatures f = new UserStateFeatures(stateWith(EngineSettings.defaults(), NOW - HOUR, MIDNIGHT, MIDNIGHT - 1,
                MIDNIGHT - 6 * DAY, MIDNIGHT - 6 * DAY - 1, MIDNIGHT - 13 * DAY, MIDNIGHT - 13 * DAY - 1, MIDNIGHT - 29 * DAY,
                MIDNIGHT - 45 * DAY));

        assertEquals(3, f.countAll(FeatureWindow.H24, NOW), "now − 1 h, midnight and just before it are within 24 h");
        assertEquals(4, f.countAll(FeatureWindow.D7, NOW));
        assertEquals(2, f.countAll(FeatureWindow.PREV_D7, NOW));
        assertEquals(8, f.countAll(FeatureWindow.D30, NOW));
        assertEquals(9, f.countAll(FeatureWindow.ALL, NOW));
        assertEquals(40.0, f.revenue(FeatureWindow.D7, NOW));
        assertEquals(20.0, f.revenue(FeatureWindow.PREV_D7, NOW));
        assertEquals(90.0, f.revenue(FeatureWindow.ALL, NOW));
        assertEquals(1, f.count("ev0", FeatureWindow.D7, NOW), "ev0 is events 0, 4 (−6 d −1 ms: PREV_D7) and 8");
        assertEquals(1, f.count("ev0", FeatureWindow.PREV_D7, NOW));
        assertEquals(0, f.count("nope", FeatureWindow.ALL, NOW));
    }

    @Test
    void shouldCountActiveUtcDaysPerWindow() {
        UserStateFeatures f = new UserStateFeatures(stateWith(EngineSettings.defaults(), NOW, NOW - HOUR, MIDNIGHT - 1,
                MIDNIGHT - 3 * DAY, MIDNIGHT - 8 * DAY, MIDNIGHT - 8 * DAY + 5, MIDNIGHT - 20 * DAY));

        assertEquals(3, f.activeDays(FeatureWindow.D7, NOW), "today, yesterday, 4 days back");
        assertEquals(1, f.activeDays(FeatureWindow.PREV_D7, NOW));
        assertEquals(5, f.activeDays(FeatureWindow.D30, NOW));
        assertEquals(0, f.activeDays(FeatureWindow.D7, NOW + 40 * DAY), "all aged out");
        assertThrows(IllegalArgumentException.class, () -> f.activeDays(FeatureWindow.ALL, NOW));
    }

    @Test
    void shouldCountEventsPastTheTrackedNamesCapInTheAllEventsCounts() {
        EngineSettings two = new EngineSettings(20, 2, 16, Map.of(), "revenue");
        UserStateFeatures f = new UserStateFeatures(stateWith(two, NOW, NOW - 1, NOW - 2, NOW - 3 * DAY));

        assertEquals(2, f.eventNames().size());
        assertEquals(2, f.state().untrackedEvents());
        assertEquals(4, f.countAll(FeatureWindow.D7, NOW));
        assertEquals(3, f.countAll(FeatureWindow.H24, NOW));
        assertEquals(2, f.activeDays(FeatureWindow.D7, NOW));
    }

    @Test
    void shouldReadTraitsAsText() {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.identify("i1", NOW, Map.of("platform", "iOS", "age", 41, "pro", true, "tags", List.of("a"))), 1,
                EngineSettings.defaults());
        UserStateFeatures f = new UserStateFeatures(s);

        assertEquals(Optional.of("iOS"), f.textTrait("platform"));
        assertEquals(Optional.of("41"), f.textTrait("age"));
        assertEquals(Optional.of("true"), f.textTrait("pro"));
        assertEquals(Optional.empty(), f.textTrait("tags"));
        assertEquals(Optional.empty(), f.textTrait("missing"));
    }

    @Test
    void shouldGiveTheLiveStatesVectorWhenReplayingTheSameEvents() {
        FeatureSpec spec = FeatureSpec.of(List.of(), List.of("ev1", "ev3", "never"), FeatureSpec.DEFAULT_HORIZON_MS);
        FeatureExtractor extractor = new FeatureExtractor(spec);
        Random r = new Random(5);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t = NOW - (long) (r.nextDouble() * 40 * DAY);
            Map<String, Object> traits = i == 17 ? Map.of("$os", "Android 14") : Map.of();
            events.add(StateFixtures.event("e" + i, EventType.TRACK, "ev" + r.nextInt(6), t, t, "s" + r.nextInt(40),
                    r.nextBoolean() ? Map.of("revenue", r.nextInt(100)) : Map.of(), traits));
        }
        events.sort((a, b) -> Long.compare(a.eventTime(), b.eventTime()));
        // live: the engine applied them at Kafka offsets of its partition, in arrival order
        UserState live = new UserState("shop", "u1");
        long offset = 1_000;
        for (Event e : events) {
            live.apply(e, offset += 3, EngineSettings.defaults());
        }

        FeatureVector online = extractor.vector(new UserStateFeatures(live), NOW);
        FeatureVector offline = extractor.vector(new UserStateReplay(EngineSettings.defaults()).replay(events, NOW), NOW);

        assertEquals(online, offline);
        assertTrue(online.get(FeatureSpec.EVENTS_ALL) == 300 && online.get(FeatureSpec.PLATFORM_ANDROID) == 1, online.toString());
        assertTrue(online.get(FeatureSpec.count30dName("ev1")) > 0 && online.get(FeatureSpec.ACTIVE_DAYS_30D) > 20, online.toString());
    }
}
