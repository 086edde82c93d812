package io.beacon.engine.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.Score;
import io.beacon.engine.state.StateFixtures;
import io.beacon.engine.state.UserState;
import io.beacon.event.ScoreChange;
import io.beacon.ml.Task;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserScoringTest {
    private static final long T0 = StateFixtures.T0;
    private static final long DAY = 86_400_000L;
    private static final ScoringSettings SETTINGS = ScoringSettings.defaults().withServingSpec(TinyModels.SPEC);

    @TempDir
    static Path dir;
    static LoadedModel churn;
    static LoadedModel churnLater;
    static LoadedModel ltv;

    @BeforeAll
    static void trainModels() {
        ModelStore store = new ModelStore(dir);
        ModelManifest a = TinyModels.writeChurn(store, 10, Instant.parse("2026-11-01T00:00:00Z"));
        ModelManifest b = TinyModels.writeChurn(store, 20, Instant.parse("2026-11-02T00:00:00Z"));
        churn = TinyModels.load(store, a);
        churnLater = TinyModels.load(store, b);
        ltv = TinyModels.load(store, TinyModels.writeLtv(store, Instant.parse("2026-11-03T00:00:00Z")));
    }

    private static Optional<ActiveModels> champion(LoadedModel m) {
        return Optional.of(ActiveModels.NONE.with(TaskModels.of(m, null, 0, SETTINGS.threshold(m.task()))));
    }

    private static UserState userWithEventAt(long t) {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.track("e1", "page", t), 1, EngineSettings.defaults());
        return s;
    }

    @Test
    void shouldScoreAfterEventsStoringTheValueWithTheModelVersionAndDueARefreshLater() {
        UserState s = userWithEventAt(T0);
        UserScoring.Outcome o = UserScoring.afterEvents(s, champion(churn), T0, "e1", SETTINGS);

        assertEquals(1, o.scored());
        Score score = s.scores().get(ScoreNames.CHURN_RISK);
        assertTrue(score.value() < 0.7, "a user seen just now is not at risk: " + score);
        assertEquals(churn.version(), score.modelVersion());
        assertEquals(T0, score.updatedAtMs());
        assertEquals(T0, s.scoredAtMs());
        assertEquals(T0 + Duration.ofHours(1).toMillis(), s.scoreDueAtMs());
        assertEquals(0, o.changes().size(), "a first score below the threshold crosses nothing");
    }

    @Test
    void shouldScoreAtMostOncePerDebounceAndLeaveTheRestToTheTimer() {
        UserState s = userWithEventAt(T0);
        UserScoring.afterEvents(s, champion(churn), T0, "e1", SETTINGS);
        s.apply(StateFixtures.track("e2", "page", T0 + 400), 2, EngineSettings.defaults());

        UserScoring.Outcome within = UserScoring.afterEvents(s, champion(churn), T0 + 400, "e2", SETTINGS);

        assertEquals(0, within.scored());
        assertEquals(T0, s.scoredAtMs());
        assertEquals(T0 + 1000, s.scoreDueAtMs(), "scored when the debounce ends");
        assertEquals(0, UserScoring.onTime(s, champion(churn), T0 + 999, SETTINGS).scored());
        assertEquals(1, UserScoring.onTime(s, champion(churn), T0 + 1000, SETTINGS).scored());
        assertEquals(T0 + 1000, s.scores().get(ScoreNames.CHURN_RISK).updatedAtMs());
        // after the debounce an event scores at once again
        assertEquals(1, UserScoring.afterEvents(s, champion(churn), T0 + 2000, "e3", SETTINGS).scored());
    }

    @Test
    void shouldEmitUpWhenTheScoreReachesTheThresholdDownWhenItFallsBelowAndNothingWhileItStays() {
        UserState s = userWithEventAt(T0);
        UserScoring.afterEvents(s, champion(churn), T0, "e1", SETTINGS);
        // the refresh timers age recency with no event: the risk rises past 0.7
        UserScoring.Outcome up = UserScoring.onTime(s, champion(churn), T0 + 25 * DAY, SETTINGS);
        assertEquals(1, up.changes().size(), "crossed up: " + s.scores());
        ScoreChange c = up.changes().get(0);
        assertEquals(ScoreChange.Direction.UP, c.direction());
        assertEquals(ScoreChange.Cause.TIME, c.cause());
        assertNull(c.eventId());
        assertEquals(0.7, c.threshold());
        assertTrue(c.value() >= 0.7 && c.previousValue() < 0.7, c.toString());
        assertEquals(churn.version(), c.modelVersion());
        assertEquals(T0 + 25 * DAY, c.atMs());
        assertEquals(ScoreChange.idOf("shop", "u1", ScoreNames.CHURN_RISK, 1), c.id());

        assertEquals(0, UserScoring.onTime(s, champion(churn), T0 + 26 * DAY, SETTINGS).changes().size(), "still above: no repeat");

        s.apply(StateFixtures.track("e2", "page", T0 + 26 * DAY + 5_000), 2, EngineSettings.defaults());
        UserScoring.Outcome down = UserScoring.afterEvents(s, champion(churn), T0 + 26 * DAY + 5_000, "e2", SETTINGS);
        assertEquals(1, down.changes().size());
        assertEquals(ScoreChange.Direction.DOWN, down.changes().get(0).direction());
        assertEquals(ScoreChange.Cause.EVENT, down.changes().get(0).cause());
        assertEquals("e2", down.changes().get(0).eventId());
        assertEquals(ScoreChange.idOf("shop", "u1", ScoreNames.CHURN_RISK, 2), down.changes().get(0).id());
        assertEquals(2, s.scores().get(ScoreNames.CHURN_RISK).crossings());
    }

    @Test
    void shouldTellTheCrossingDirectionFromThePreviousValue() {
        assertEquals(ScoreChange.Direction.UP, UserScoring.crossing(null, 0.7, 0.7));
        assertNull(UserScoring.crossing(null, 0.69, 0.7));
        assertEquals(ScoreChange.Direction.UP, UserScoring.crossing(0.5, 0.71, 0.7));
        assertNull(UserScoring.crossing(0.75, 0.9, 0.7));
        assertEquals(ScoreChange.Direction.DOWN, UserScoring.crossing(0.7, 0.69, 0.7));
        assertNull(UserScoring.crossing(0.1, 0.2, 0.7));
    }

    @Test
    void shouldScoreNothingAndDueNothingWithoutModels() {
        UserState s = userWithEventAt(T0);
        s.setScoreDueAtMs(T0 + 5);

        assertEquals(0, UserScoring.afterEvents(s, Optional.empty(), T0, "e1", SETTINGS).scored());
        assertEquals(Long.MAX_VALUE, s.scoreDueAtMs());
        assertTrue(s.scores().isEmpty());
        assertEquals(0, UserScoring.onTime(s, Optional.of(ActiveModels.NONE), T0 + DAY, SETTINGS).scored());
    }

    @Test
    void shouldEmitNoChangesForAScoreWithoutThreshold() {
        UserState s = userWithEventAt(T0);
        s.apply(StateFixtures.track("e2", "purchase", T0, "s1", Map.of("revenue", 500)), 2, EngineSettings.defaults());

        UserScoring.Outcome o = UserScoring.afterEvents(s, champion(ltv), T0, "e2", SETTINGS);

        assertEquals(1, o.scored());
        assertTrue(o.changes().isEmpty());
        Score v = s.scores().get(ScoreNames.LTV_PREDICTED);
        assertTrue(v.value() > 100, "30-day revenue 500 predicts a large LTV: " + v);
        assertEquals(ltv.version(), v.modelVersion());
    }

    @Test
    void shouldScoreTheChallengerShareWithBothAndTheRestWithTheChampionOnly() {
        TaskModels all = TaskModels.of(churn, churnLater, 1.0, OptionalDouble.of(0.7));
        TaskModels none = TaskModels.of(churn, churnLater, 0.0, OptionalDouble.of(0.7));
        UserState s = userWithEventAt(T0 - 15 * DAY);

        UserScoring.Outcome both = UserScoring.score(s, ActiveModels.NONE.with(all), T0, ScoreChange.Cause.EVENT, "e1", SETTINGS);

        assertEquals(2, both.scored());
        Score champ = s.scores().get(ScoreNames.CHURN_RISK);
        Score chall = s.scores().get(ScoreNames.challengerOf(Task.CHURN));
        assertEquals(churn.version(), champ.modelVersion());
        assertEquals(churnLater.version(), chall.modelVersion());
        assertTrue(champ.value() > chall.value(), "15 days gone: past the first model's churn point, before the second's: " + s.scores());
        assertEquals(1, both.changes().size(), "only the champion's score crosses thresholds");
        assertEquals(ScoreNames.CHURN_RISK, both.changes().get(0).score());

        UserScoring.score(s, ActiveModels.NONE.with(none), T0 + 1, ScoreChange.Cause.TIME, null, SETTINGS);
        assertFalse(s.scores().containsKey("churn_risk@challenger"), "out of the share: the challenger's score is dropped");
    }
}
