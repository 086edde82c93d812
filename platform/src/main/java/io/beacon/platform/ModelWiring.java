package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.control.models.ModelPromotion;
import io.beacon.control.models.ModelPromotionService;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.Change;
import io.beacon.engine.runtime.ModelCatalog;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.ml.Task;
import io.beacon.ml.registry.ModelStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires churn/LTV models into a node: the model directory ({@value #MODEL_DIR}, default
 * {@code <beacon.home>/.beacon/models}), the promotions in the config store, the models API, and — on an engine node —
 * the config listener that hot-swaps the {@link ModelCatalog} the engine scores with whenever a promotion changes
 * (replaying the current promotions at start, so a restarted node serves what was promoted).
 */
final class ModelWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWiring.class);
    static final String MODEL_DIR = MlCommand.MODEL_DIR;

    private final ModelStore store;
    private final ScoringSettings scoring;
    private final ModelPromotionService promotions;
    /** Loads promoted models off the config store's thread (listeners must be quick), in promotion order. */
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "beacon-model-loader");
        t.setDaemon(true);
        return t;
    });
    private AutoCloseable listener;

    ModelWiring(Config config, ControlPlane controlPlane) {
        this.store = new ModelStore(MlCommand.modelDir(config));
        this.scoring = ScoringSettings.fromConfig(config);
        this.promotions = new ModelPromotionService(controlPlane.store(), Clock.systemUTC());
    }

    ScoringSettings scoring() {
        return scoring;
    }

    ModelStore store() {
        return store;
    }

    /** A catalog for this node's engine, kept in step with the promotions from now on. */
    ModelCatalog catalogFor(ControlPlane controlPlane) {
        ModelCatalog catalog = new ModelCatalog(store, scoring);
        listener = controlPlane.store().addListener(ModelPromotion.KIND, c -> loader.execute(() -> apply(catalog, c)), true);
        return catalog;
    }

    private static void apply(ModelCatalog catalog, Change change) {
        Optional<ModelPromotion> p = change.current().flatMap(ModelPromotionService::decode);
        String project = change.key().project();
        Task task;
        try {
            task = Task.of(change.key().id());
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring model promotion {}: unknown task", change.key());
            return;
        }
        if (p.isEmpty()) {
            catalog.apply(project, task, null, null, 0);
            return;
        }
        // a refusal keeps the previous model; ModelCatalog logs and counts it, and the models API shows it
        catalog.apply(project, task, p.get().version(), p.get().challengerVersion(), p.get().challengerShare());
    }

    Route routes(ControlPlane controlPlane, Optional<ModelCatalog> serving) {
        return new ModelRoutes(controlPlane.projects(), store, promotions, t -> scoring.servingSpec(), serving).routes();
    }

    @Override
    public void close() {
        loader.shutdownNow();
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                LOG.debug("listener removal failed", e);
            }
        }
    }
}
