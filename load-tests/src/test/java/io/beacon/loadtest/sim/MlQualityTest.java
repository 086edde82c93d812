package io.beacon.loadtest.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.UserStateReplay;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetBuilder;
import io.beacon.ml.eval.EvaluationReport;
import io.beacon.ml.label.Cutoffs;
import io.beacon.ml.train.Training;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's simulator-backed quality check: the behaviour simulator's churning subpopulation (sessions decay by e
 * every {@value BehaviourSimulator#CHURN_DECAY_DAYS} days after a random churn day) must be learnable from the default
 * features (the engine's serving spec: no tracked events, every event qualifies, horizon 14 days) built the way
 * production builds them, by replaying each person's history through the engine's own {@link UserStateReplay} at each
 * cutoff. Choices fixed before looking at the result: 2,000 users over 60 days from the simulator's default start,
 * seed 18, its default 20 % churners and 0.8 sessions a day; four cutoffs a week apart, the newest at day 46 (day 60
 * minus the horizon, so every label window is complete), the newest being the holdout. Simulator items become events
 * through event-model's own gateway mapping ({@link IncomingRequest#prepare}, received at the event's time); the
 * person is the simulated user (what the identity stage resolves both the anonymous and the logged-in events to).
 * Measured (seed 18, about 18 s): churn holdout ROC AUC 0.938 logistic, 0.924 cart, 0.941 xgboost; LTV RMSE / mean
 * baseline 0.961, 0.855, 0.717.
 */
class MlQualityTest {
    private static final long SEED = 18;
    private static final int USERS = 2_000;
    private static final int DAYS = 60;
    private static final String PROJECT = "sim";
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private static Map<String, List<Event>> eventsByPerson;
    private static List<Long> cutoffs;
    private static FeatureSpec spec;
    private static DatasetBuilder builder;

    @BeforeAll
    static void simulate() {
        SimulatorSettings settings = SimulatorSettings.of(SEED, USERS).withDays(DAYS);
        BehaviourSimulator sim = new BehaviourSimulator(settings);
        eventsByPerson = new LinkedHashMap<>();
        long events = 0;
        int churners = 0;
        for (int i = 0; i < USERS; i++) {
            UserHistory h = sim.user(i);
            churners += h.profile().churner() ? 1 : 0;
            List<Event> list = new ArrayList<>(h.events().size());
            for (SimEvent e : h.events()) {
                list.add(toEvent(e, h.profile().userId()));
            }
            events += list.size();
            eventsByPerson.put(h.profile().userId(), list);
        }
        spec = ScoringSettings.defaults().servingSpec();
        long end = settings.start().toEpochMilli() + DAYS * DAY_MS;
        cutoffs = Cutoffs.of(Cutoffs.defaultLatest(end, spec.horizonMs()), 7 * DAY_MS, 4);
        builder = new DatasetBuilder(spec, new UserStateReplay(EngineSettings.defaults()), EngineSettings.defaults().revenuePropertyFor(PROJECT));
        System.out.printf(Locale.ROOT, "simulated %d users (%d churners) x %d days: %d events; cutoffs at days %s; %d features%n",
                USERS, churners, DAYS, events, cutoffs.stream().map(t -> (t - settings.start().toEpochMilli()) / DAY_MS).toList(), spec.size());
    }

    /** The simulator's Segment item as the gateway maps it, attributed to the simulated person. */
    static Event toEvent(SimEvent e, String person) {
        JsonNode item;
        try {
            item = EventCodec.mapper().readTree(e.json());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("the simulator wrote an item that is not JSON: " + e.json(), ex);
        }
        IncomingRequest.Prepared p = IncomingRequest.prepare(0, item, PROJECT, e.timeMillis(), "127.0.0.1", "sim");
        assertTrue(p.accepted(), () -> "refused " + e.json());
        return p.event().withPersonId(person);
    }

    @Test
    void shouldReachRocAucOfAtLeast080OnTheHoldoutForChurnWithEveryTrainer() {
        Dataset ds = builder.build(Task.CHURN, eventsByPerson, cutoffs, s -> { });
        assertEquals(cutoffs, ds.cutoffs());
        double churnRate = ds.newestRows().stream().mapToDouble(r -> r.label()).average().orElseThrow();
        System.out.printf(Locale.ROOT, "churn: %d training rows, %d holdout rows, holdout churn rate %.3f%n",
                ds.olderRows().size(), ds.newestRows().size(), churnRate);
        Map<TrainerKind, Double> auc = new EnumMap<>(TrainerKind.class);
        for (TrainerKind kind : TrainerKind.values()) {
            EvaluationReport r = Training.train(ds, kind, SEED, s -> { }).evaluation();
            auc.put(kind, r.metric("roc_auc"));
            System.out.printf(Locale.ROOT, "churn %-8s holdout ROC AUC %.4f  PR AUC %.4f  log loss %.4f  top %s%n", kind.id(),
                    r.metric("roc_auc"), r.metric("pr_auc"), r.metric("log_loss"), r.topFeatures().subList(0, 3));
        }
        auc.forEach((kind, v) -> assertTrue(v >= 0.80, kind.id() + " churn ROC AUC " + v + " < 0.80"));
    }

    /**
     * The issue asks the LTV model for an RMSE at most 0.8 x the mean baseline's. The LTV model is XGBoost, the
     * default trainer of {@code ./beacon ml train --task ltv}: a person's future revenue is far from linear in the
     * features (a churned person spends nothing whatever they spent before; purchase propensity is gamma-distributed),
     * so the linear model only beats the mean (measured with seed 18: logistic 0.961, cart 0.855, xgboost 0.717).
     */
    @Test
    void shouldBeatTheMeanBaselineRmseByAtLeast20PercentForLtvWithXgboost() {
        Dataset ds = builder.build(Task.LTV, eventsByPerson, cutoffs, s -> { });
        double meanLtv = ds.newestRows().stream().mapToDouble(r -> r.label()).average().orElseThrow();
        System.out.printf(Locale.ROOT, "ltv: %d training rows, %d holdout rows, holdout mean revenue in 14 days %.2f%n",
                ds.olderRows().size(), ds.newestRows().size(), meanLtv);
        Map<TrainerKind, Double> ratio = new EnumMap<>(TrainerKind.class);
        for (TrainerKind kind : TrainerKind.values()) {
            EvaluationReport r = Training.train(ds, kind, SEED, s -> { }).evaluation();
            double rmse = r.metric("rmse");
            double baseline = r.metric("rmse_mean_baseline");
            ratio.put(kind, rmse / baseline);
            System.out.printf(Locale.ROOT, "ltv %-8s holdout RMSE %.2f  mean baseline %.2f (ratio %.3f, issue target <= 0.800)  last period %.2f"
                            + "  R2 %.4f  MAE %.2f%n",
                    kind.id(), rmse, baseline, rmse / baseline, r.metric("rmse_last_period_baseline"), r.metric("r2"), r.metric("mae"));
        }
        assertTrue(ratio.get(TrainerKind.XGBOOST) <= 0.80, "xgboost LTV RMSE ratio " + ratio.get(TrainerKind.XGBOOST) + " > 0.80");
        assertTrue(ratio.get(TrainerKind.LOGISTIC) < 1, "logistic LTV RMSE ratio " + ratio.get(TrainerKind.LOGISTIC));
    }
}
