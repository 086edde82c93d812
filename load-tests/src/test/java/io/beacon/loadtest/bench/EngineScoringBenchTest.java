package io.beacon.loadtest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.engine.runtime.ModelCatalog;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.score.Scorer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineScoringBenchTest {

    @Test
    void shouldTrainAChurnModelThatTheCatalogServesAndThatRanksGoneUsersHigher(@TempDir Path dir) throws Exception {
        ScoringSettings settings = ScoringSettings.defaults();
        FeatureSpec spec = settings.servingSpec();
        ModelStore store = new ModelStore(dir);

        ModelManifest m = EngineScoringBench.writeChurnModel(store, spec);

        assertEquals(Optional.empty(), new ModelCatalog(store, settings).promote(EngineBench.PROJECT, Task.CHURN, m.version()));
        Scorer scorer = Scorer.of(store.load(m.version(), Task.CHURN, spec));
        double fresh = scorer.value(user(spec, 1));
        double gone = scorer.value(user(spec, 25));
        assertTrue(fresh < 0.3, "seen a day ago: " + fresh);
        assertTrue(gone > 0.7, "gone for 25 days: " + gone);
    }

    @Test
    void shouldMeetTheTargetAboveSeventyPercentOfTheOffRateWithScoresComputed() {
        EngineScoringBench.Result r = result(71_000, 1_000);

        List<Figure> figures = EngineScoringBench.figures(r);

        assertEquals(0.71, r.ratio(), 1e-9);
        assertEquals(Figure.Status.MET, figures.get(0).status());
        assertEquals("71,000 events/s", figures.get(0).value());
        assertEquals("scoring off: 100,000 events/s", figures.get(0).baseline());
        assertEquals("71 %", figures.get(0).ratio());
        assertEquals(EngineScoringBench.TARGET, figures.get(0).target());
        assertEquals("1,000", figures.get(1).value());
        assertEquals(Figure.Status.MET, figures.get(1).status());
    }

    @Test
    void shouldMissTheTargetBelowSeventyPercentOrWithoutScores() {
        assertEquals(Figure.Status.MISSED, EngineScoringBench.figures(result(69_000, 1_000)).get(0).status());
        List<Figure> noScores = EngineScoringBench.figures(result(90_000, 0));
        assertEquals(Figure.Status.MISSED, noScores.get(0).status());
        assertEquals(Figure.Status.MISSED, noScores.get(1).status());
    }

    @Test
    void shouldCombineTheRunsOfAModeAsSummedEventsOverSummedSeconds() {
        EngineScoringBench.Run a = new EngineScoringBench.Run("off", 600_000, 10, 200_000, true, 400_000, 4, 0);
        EngineScoringBench.Run b = new EngineScoringBench.Run("off", 600_000, 20, 300_000, false, 300_000, 6, 5);

        EngineScoringBench.Run c = EngineScoringBench.Run.combined("off", List.of(a, b));

        assertEquals(40_000, c.perSecond(), 1e-9);
        assertEquals(70_000, c.steadyPerSecond(), 1e-9);
        assertEquals(500_000, c.warmupEvents());
        assertEquals(5, c.scores());
        assertFalse(c.jitSettled());
    }

    private static EngineScoringBench.Result result(double onSteadyPerSecond, long scores) {
        EngineScoringBench.Run off = new EngineScoringBench.Run("off", 600_000, 8, 200_000, true, 400_000, 4, 0);
        EngineScoringBench.Run on = new EngineScoringBench.Run("on", 600_000, 9, 200_000, true, 400_000,
                400_000 / onSteadyPerSecond, scores);
        return new EngineScoringBench.Result(off, on, "churn-v1", Duration.ofSeconds(1), 20, List.of(off, on));
    }

    private static double[] user(FeatureSpec spec, double recencyDays) {
        double[] x = new double[spec.size()];
        x[spec.indexOf(FeatureSpec.RECENCY_DAYS)] = recencyDays;
        x[spec.indexOf(FeatureSpec.TENURE_DAYS)] = recencyDays + 30;
        x[spec.indexOf(FeatureSpec.EVENTS_30D)] = 5;
        return x;
    }
}
