package io.beacon.ml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.ml.EventListState;
import io.beacon.ml.Synthetic;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingTest {
    static Dataset churn;
    static Dataset ltv;

    @BeforeAll
    static void simulate() {
        DatasetBuilder b = new DatasetBuilder(Synthetic.spec(), EventListState.REPLAY, "revenue");
        churn = b.build(Task.CHURN, Synthetic.people(600, 7), Synthetic.cutoffs(), s -> { });
        ltv = b.build(Task.LTV, Synthetic.people(600, 7), Synthetic.cutoffs(), s -> { });
    }

    @Test
    void shouldLearnChurnFromActivityDecayWithEveryTrainer() {
        for (TrainerKind kind : TrainerKind.values()) {
            TrainedModel m = Training.train(churn, kind, 42, System.out::println);
            double auc = m.evaluation().metric("roc_auc");
            assertTrue(auc >= 0.8, kind + " holdout ROC AUC " + auc);
            assertEquals(churn.newestRows().size(), m.evaluation().testRows());
            assertEquals(10, m.evaluation().calibration().size());
            assertFalse(m.evaluation().topFeatures().isEmpty());
        }
    }

    @Test
    void shouldBeatTheMeanBaselineOnLtv() {
        TrainedModel m = Training.train(ltv, TrainerKind.LOGISTIC, 42, System.out::println);
        double rmse = m.evaluation().metric("rmse");
        double mean = m.evaluation().metric("rmse_mean_baseline");
        assertTrue(rmse <= 0.8 * mean, "rmse " + rmse + " vs mean baseline " + mean);
        assertTrue(m.evaluation().metrics().containsKey("rmse_last_period_baseline"));
    }

    @Test
    void shouldTrainTheSameModelTwiceWithTheSameSeed() {
        TrainedModel a = Training.train(churn, TrainerKind.LOGISTIC, 42, s -> { });
        TrainedModel b = Training.train(churn, TrainerKind.LOGISTIC, 42, s -> { });
        assertEquals(a.evaluation().metrics(), b.evaluation().metrics());
    }

    @Test
    void shouldHoldOutTheNewestCutoffAndReportProgress() {
        List<String> progress = new ArrayList<>();
        TrainedModel m = Training.train(churn, TrainerKind.CART, 42, progress::add);
        assertEquals(Synthetic.cutoffs(), m.info().cutoffs());
        assertEquals(churn.olderRows().size(), m.info().trainRows());
        assertEquals("4.3.2", m.info().provenance().get("tribuo_version"));
        assertTrue(progress.get(0).startsWith("training churn with cart on " + churn.olderRows().size() + " rows"), progress.get(0));
        assertTrue(progress.get(progress.size() - 1).startsWith("evaluation: "));
    }

    @Test
    void shouldRefuseADatasetWithOneCutoff() {
        Dataset one = new Dataset(Task.CHURN, churn.spec(), churn.newestRows());
        assertThrows(IllegalArgumentException.class, () -> Training.train(one, TrainerKind.LOGISTIC, 42, s -> { }));
    }
}
