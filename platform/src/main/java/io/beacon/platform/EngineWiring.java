package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.control.journeys.JourneyCatalog;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.segments.SegmentCatalog;
import io.beacon.engine.api.EngineRoutes;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.JourneyCatalogSource;
import io.beacon.engine.runtime.ModelCatalog;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires the {@code actor-engine} module into a node (role {@code engine}): its segment definitions come from a
 * {@link SegmentCatalog} on the node's config store, its journeys (published versions, status, caps) from a
 * {@link JourneyCatalog} on the same store, its API authenticates with the node's project directory, and its engine
 * (own Pekko cluster system, consumer, stores) is closed with the wiring.
 */
public final class EngineWiring implements AutoCloseable {
    private final SegmentCatalog segments;
    private final JourneyCatalog journeyCatalog;
    private final JourneyCatalogSource journeys;
    private final Engine engine;
    private final EngineRoutes routes;
    private final ModelCatalog models;

    private EngineWiring(SegmentCatalog segments, JourneyCatalog journeyCatalog, JourneyCatalogSource journeys, Engine engine,
                         EngineRoutes routes, ModelCatalog models) {
        this.segments = segments;
        this.journeyCatalog = journeyCatalog;
        this.journeys = journeys;
        this.engine = engine;
        this.routes = routes;
        this.models = models;
    }

    /** The models this node's engine scores with now. */
    public ModelCatalog models() {
        return models;
    }

    /** The engine, scoring users with the models promoted through {@code models} (hot-swapped as promotions change). */
    public static EngineWiring start(Config config, ControlPlane controlPlane, ModelWiring models) {
        SegmentCatalog segments = new SegmentCatalog(controlPlane.store());
        JourneyCatalog journeyCatalog = new JourneyCatalog(controlPlane.store());
        JourneyCatalogSource journeys = new JourneyCatalogSource(journeyCatalog);
        try {
            ModelCatalog catalog = models.catalogFor(controlPlane);
            Engine engine = Engine.start(config, segments::segments, catalog, journeys);
            return new EngineWiring(segments, journeyCatalog, journeys, engine,
                    new EngineRoutes(engine, controlPlane.projects(), segments::segments), catalog);
        } catch (RuntimeException e) {
            closeCatalogs(segments, journeyCatalog, journeys);
            throw e;
        }
    }

    public Engine engine() {
        return engine;
    }

    /** {@code /api/v1/users/*}, {@code /api/v1/segments/{id}/members|stats} and {@code /metrics}. */
    public Route routes() {
        return routes.routes();
    }

    /** "ok", or why the engine is not ready (restoring a partition, waiting for an assignment, failed). */
    public String readiness() {
        return engine.readiness();
    }

    @Override
    public void close() {
        engine.close();
        closeCatalogs(segments, journeyCatalog, journeys);
    }

    private static void closeCatalogs(SegmentCatalog segments, JourneyCatalog journeyCatalog, JourneyCatalogSource journeys) {
        journeys.close();
        journeyCatalog.close();
        segments.close();
    }
}
