package io.beacon.engine.state;

import static io.beacon.engine.state.StateFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Window;
import io.beacon.event.EventType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserStateCodecTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    static UserState randomState(long seed, int events) {
        Random random = new Random(seed);
        UserState s = new UserState("shop", "person-" + seed);
        for (int i = 0; i < events; i++) {
            long t = T0 - (long) (random.nextDouble() * 45 * WindowSpec.DAY_MS);
            Map<String, Object> props = random.nextBoolean() ? Map.of("revenue", random.nextInt(10_000) / 100.0) : Map.of();
            Map<String, Object> traits = random.nextInt(5) == 0
                    ? Map.of("plan", random.nextBoolean() ? "pro" : "free", "age", random.nextInt(90), "tags", java.util.List.of("a", "b"),
                    "$set_once", Map.of("source", "ads" + random.nextInt(3)))
                    : Map.of();
            s.apply(StateFixtures.event("e" + i, EventType.TRACK, "ev" + random.nextInt(12), t, T0, "s" + random.nextInt(30), props, traits), i, SETTINGS);
        }
        s.enterSegment("active", T0 - 5);
        s.enterSegment("buyers", T0 - 7);
        s.setScore("churn", 0.42, T0 - 1);
        s.putScore("churn_risk", new Score(0.77, T0 - 2, "churn-logistic-20261127-101500-abcd1234", seed));
        s.setScoredAtMs(T0 - 2);
        s.setScoreDueAtMs(T0 + 1_000);
        s.setPartition(3);
        s.setNextTimerAtMs(T0 + 3_600_000);
        return s;
    }

    @Test
    void shouldRoundTripEveryFieldSoThatReencodingGivesTheSameBytes() {
        for (long seed = 1; seed <= 20; seed++) {
            UserState s = randomState(seed, (int) (seed * 25));
            byte[] bytes = UserStateCodec.encode(s);
            UserState back = UserStateCodec.decode(bytes);

            assertArrayEquals(bytes, UserStateCodec.encode(back));
            assertEquals(s.userKey(), back.userKey());
            assertEquals(s.firstSeenMs(), back.firstSeenMs());
            assertEquals(s.lastSeenMs(), back.lastSeenMs());
            assertEquals(s.appliedOffset(), back.appliedOffset());
            assertEquals(3, back.partition());
            assertEquals(T0 + 3_600_000, back.nextTimerAtMs());
            assertEquals(s.sessionsCount(), back.sessionsCount());
            assertEquals(s.lastEvents(), back.lastEvents());
            assertEquals(s.traits(), back.traits());
            assertEquals(s.memberships(), back.memberships());
            assertEquals(s.scores(), back.scores());
            assertEquals(T0 - 2, back.scoredAtMs());
            assertEquals(T0 + 1_000, back.scoreDueAtMs());
            for (Window w : Window.values()) {
                assertEquals(s.allEvents().count(w, T0), back.allEvents().count(w, T0));
            }
            for (String name : s.eventNames()) {
                for (Window w : Window.values()) {
                    assertEquals(s.count(name, w, T0), back.count(name, w, T0));
                }
            }
            for (Window w : Window.values()) {
                assertEquals(s.revenue(w, T0), back.revenue(w, T0));
            }
        }
    }

    @Test
    void stringsOfEveryKindKeepTheUtf8LengthPrefixedFormat() {
        String long127 = "x".repeat(127);
        String long126 = "y".repeat(126);
        String[] names = {"", "page", "Bestellung abgeschlossen ü", "日本語", long126, long127, "z".repeat(300), "emoji \uD83D\uDE00"};
        for (String name : names) {
            UserState s = new UserState("shop-" + name, "person " + name);
            s.apply(StateFixtures.event("id-" + name, EventType.TRACK, name.isEmpty() ? "n" : name, T0 - 5, T0,
                    name.isEmpty() ? null : "session-" + name, Map.of(), Map.of("t-" + name, name)), 1, SETTINGS);
            s.enterSegment("seg-" + name, T0);
            byte[] bytes = UserStateCodec.encode(s);
            // the format by hand: version, then project id as varint(UTF-8 length) + UTF-8 bytes
            byte[] project = s.projectId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(UserStateCodec.VERSION, bytes[0]);
            int len = (bytes[1] & 0x7F) | (project.length > 127 ? (bytes[2] & 0x7F) << 7 : 0);
            assertEquals(project.length, len, name);
            assertArrayEquals(project, Arrays.copyOfRange(bytes, project.length > 127 ? 3 : 2, (project.length > 127 ? 3 : 2) + project.length));
            UserState back = UserStateCodec.decode(bytes);
            assertEquals(s.userKey(), back.userKey());
            assertEquals(s.lastEvents(), back.lastEvents());
            assertEquals(s.traits(), back.traits());
            assertEquals(s.memberships(), back.memberships());
            assertArrayEquals(bytes, UserStateCodec.encode(back));
        }
    }

    @Test
    void shouldKeepApplyingAfterADecodeWithoutDoubleCounting() {
        UserState s = randomState(7, 50);
        UserState back = UserStateCodec.decode(UserStateCodec.encode(s));

        boolean replayed = back.apply(StateFixtures.track("again", "ev1", T0), 49, SETTINGS);
        boolean fresh = back.apply(StateFixtures.track("new", "ev1", T0), 50, SETTINGS);

        assertEquals(false, replayed);
        assertEquals(true, fresh);
        assertEquals(s.count("ev1", Window.ALL, T0) + 1, back.count("ev1", Window.ALL, T0));
    }

    @Test
    void shouldEncodeATypicalUserCompactly() {
        UserState s = new UserState("shop", "u-12345");
        for (int i = 0; i < 10; i++) {
            s.apply(StateFixtures.track("01HZX" + i + "ABCDEFGHJKMNPQRS", i % 2 == 0 ? "$pageview" : "purchase", T0 + i * 60_000L), i, SETTINGS);
        }
        byte[] bytes = UserStateCodec.encode(s);
        assertTrue(bytes.length < 700, "10 events, 2 names: " + bytes.length + " bytes");
    }

    @Test
    void shouldDecodeAFormatOneStateWithItsAllEventsCountsRebuiltAndNoScoringDue() throws Exception {
        // written by the format-1 codec (before scores by models): 12 events over 23 days, names capped at 2, so
        // "signup" (2 events) counted only as untracked; score "churn" without a model version
        String b64;
        try (var in = UserStateCodecTest.class.getResourceAsStream("/user-state-v1.b64")) {
            b64 = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        byte[] v1 = Base64.getDecoder().decode(b64);
        assertEquals(UserStateCodec.VERSION_1, v1[0]);

        UserState s = UserStateCodec.decode(v1);

        assertEquals("shop:u1", s.userKey());
        assertEquals(Set.of("page", "purchase"), s.eventNames());
        assertEquals(2, s.untrackedEvents());
        assertEquals(12, s.allEvents().total(), "tracked and untracked");
        assertEquals(10, s.allEvents().count(Window.D30, T0), "windows of the tracked names");
        assertEquals(s.count("page", Window.D7, T0) + s.count("purchase", Window.D7, T0), s.allEvents().count(Window.D7, T0));
        assertEquals(new Score(0.42, T0 - 1, null, 0), s.scores().get("churn"));
        assertEquals(Long.MIN_VALUE, s.scoredAtMs());
        assertEquals(Long.MAX_VALUE, s.scoreDueAtMs());
        assertEquals(T0 + 3_600_000, s.nextTimerAtMs());
        assertEquals(Map.of("active", T0 - 5), s.memberships());
        assertEquals(11, s.appliedOffset());
        // and it is written back in the current format, which reads the same
        byte[] v2 = UserStateCodec.encode(s);
        assertEquals(UserStateCodec.VERSION, v2[0]);
        UserState again = UserStateCodec.decode(v2);
        assertEquals(12, again.allEvents().total());
        assertEquals(s.scores(), again.scores());
        assertArrayEquals(v2, UserStateCodec.encode(again));
    }

    @Test
    void shouldDecodeAFormatTwoStateWithNoJourneysAndWriteItBackAsTheSameStateInTheCurrentFormat() throws Exception {
        // written by the format-2 codec (before journeys) from randomState(7, 20)
        String b64;
        try (var in = UserStateCodecTest.class.getResourceAsStream("/user-state-v2.b64")) {
            b64 = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        byte[] v2 = Base64.getDecoder().decode(b64);
        assertEquals(UserStateCodec.VERSION_2, v2[0]);

        UserState s = UserStateCodec.decode(v2);

        assertEquals(io.beacon.engine.journeys.UserJourneys.EMPTY, s.journeys());
        assertEquals(19, s.appliedOffset());
        assertEquals(20, s.allEvents().total());
        assertEquals(Set.of("active", "buyers"), s.memberships().keySet());
        byte[] v3 = UserStateCodec.encode(s);
        assertEquals(UserStateCodec.VERSION, v3[0]);
        assertArrayEquals(UserStateCodec.encode(randomState(7, 20)), v3, "the same state as the one format 2 wrote");
    }

    @Test
    void shouldRoundTripTheUsersJourneyRuns() {
        UserState s = randomState(5, 10);
        s.setJourneys(io.beacon.engine.journeys.UserJourneys.EMPTY.withRun(new io.beacon.engine.journeys.JourneyRun(
                "welcome", 2, 1, "wait", T0 - 10, T0 - 5, T0 + 1_000, io.beacon.engine.journeys.JourneyRun.Status.ACTIVE,
                null, 3, false, -1)).withSend("push", 20_000).withAppliedInput("e/e1"));

        UserState back = UserStateCodec.decode(UserStateCodec.encode(s));

        assertEquals(s.journeys(), back.journeys());
        assertArrayEquals(UserStateCodec.encode(s), UserStateCodec.encode(back));
    }

    @Test
    void shouldRefuseUnknownVersionsAndTruncatedBytes() {
        byte[] bytes = UserStateCodec.encode(randomState(3, 30));
        byte[] wrongVersion = bytes.clone();
        wrongVersion[0] = 9;

        assertThrows(IllegalArgumentException.class, () -> UserStateCodec.decode(wrongVersion));
        assertThrows(IllegalArgumentException.class, () -> UserStateCodec.decode(Arrays.copyOf(bytes, bytes.length / 2)));
        assertThrows(IllegalArgumentException.class, () -> UserStateCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }
}
