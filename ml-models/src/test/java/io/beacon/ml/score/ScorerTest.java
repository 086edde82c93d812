package io.beacon.ml.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.ml.Contribution;
import io.beacon.ml.EventListState;
import io.beacon.ml.Synthetic;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.registry.ModelStore;
import io.beacon.ml.train.Training;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerTest {
    static Dataset churn;
    static Dataset ltv;

    @TempDir
    Path dir;

    @BeforeAll
    static void simulate() {
        DatasetBuilder b = new DatasetBuilder(Synthetic.spec(), EventListState.REPLAY, "revenue");
        churn = b.build(Task.CHURN, Synthetic.people(300, 11), Synthetic.cutoffs(), s -> { });
        ltv = b.build(Task.LTV, Synthetic.people(300, 11), Synthetic.cutoffs(), s -> { });
    }

    Scorer scorer(Dataset d, TrainerKind kind) throws Exception {
        ModelStore store = new ModelStore(dir);
        String v = store.write(Training.train(d, kind, 42, s -> { }), Instant.parse("2026-12-07T00:00:00Z")).version();
        return Scorer.of(store.load(v, d.task(), d.spec()));
    }

    @Test
    void shouldScoreChurnOnTheFastPathAsTribuoPredicts() throws Exception {
        Scorer s = scorer(churn, TrainerKind.LOGISTIC);
        assertTrue(s.fastPath());
        for (DatasetRow r : churn.rows()) {
            double fast = s.value(r.features());
            assertEquals(s.valueByTribuo(r.features()), fast, 1e-9);
            assertTrue(fast >= 0 && fast <= 1);
        }
        assertEquals(s.model().version(), s.score(churn.rows().get(0).features()).modelVersion());
    }

    @Test
    void shouldScoreLtvOnTheFastPathAsTribuoPredicts() throws Exception {
        Scorer s = scorer(ltv, TrainerKind.LOGISTIC);
        for (DatasetRow r : ltv.rows()) {
            assertEquals(s.valueByTribuo(r.features()), s.value(r.features()), 1e-9);
        }
    }

    @Test
    void shouldExplainALinearScoreByWeightTimesStandardizedValue() throws Exception {
        Scorer s = scorer(churn, TrainerKind.LOGISTIC);
        double[] x = churn.rows().get(0).features();
        List<Contribution> all = s.explain(x, Integer.MAX_VALUE);
        List<Contribution> top = s.explain(x, 3);
        assertEquals(3, top.size());
        assertEquals(all.subList(0, 3), top);
        assertTrue(Math.abs(top.get(0).contribution()) >= Math.abs(top.get(2).contribution()));
        // log-odds: bias + Σ contributions = logit(p); the bias is the logit at the training mean
        double p = s.value(x);
        double sum = all.stream().mapToDouble(Contribution::contribution).sum();
        double[] mean = s.model().predictor().standardization().mean();
        double pAtMean = s.value(mean);
        assertEquals(Math.log(p / (1 - p)), Math.log(pAtMean / (1 - pAtMean)) + sum, 1e-9);
    }

    @Test
    void shouldScoreTreesThroughTribuoAndExplainByImportance() throws Exception {
        Scorer s = scorer(churn, TrainerKind.CART);
        assertFalse(s.fastPath());
        double[] x = churn.rows().get(1).features();
        assertEquals(s.valueByTribuo(x), s.value(x));
        List<Contribution> top = s.explain(x, 5);
        assertFalse(top.isEmpty());
        assertTrue(top.stream().allMatch(c -> c.value() != 0));
    }

    @Test
    void shouldLoadXgboostsNativeLibraryAndScoreItsProbabilities() throws Exception {
        Scorer s = scorer(churn, TrainerKind.XGBOOST);
        double p = s.value(churn.rows().get(2).features());
        assertTrue(p > 0 && p < 1, "p " + p);
        assertEquals(s.valueByTribuo(churn.rows().get(2).features()), p);
    }
}
