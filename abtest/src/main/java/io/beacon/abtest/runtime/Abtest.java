package io.beacon.abtest.runtime;

import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.ExposureSink;
import io.beacon.abtest.analysis.ExperimentAnalysis;
import io.beacon.abtest.api.AbtestRoutes;
import io.beacon.abtest.assignment.AssignmentService;
import io.beacon.abtest.assignment.ConfigStoreStickyBuckets;
import io.beacon.abtest.assignment.SegmentLookup;
import io.beacon.abtest.assignment.StickyBucketStore;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.exposure.ExposureLogger;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.ConfigStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The A/B testing module of one process, wired: experiments on the config store, assignment with
 * sticky bucketing, exposure logging to an {@link ExposureSink}, analysis through
 * {@link AnalyticsQueries}, and the HTTP routes. Startup code builds it with the ports' adapters and
 * adds {@link #routes()} to the server; nothing here does I/O of its own.
 */
public final class Abtest implements AutoCloseable {
    private final ExperimentCatalog catalog;
    private final AssignmentService assignments;
    private final ExposureLogger exposures;
    private final ExperimentAnalysis analysis;
    private final ExecutorService analysisThreads;
    private final AbtestRoutes routes;

    public Abtest(ConfigStore store, ProjectDirectory projects, ExposureSink exposureSink, AnalyticsQueries warehouse,
                  AbtestSettings settings) {
        this(store, projects, new ConfigStoreStickyBuckets(store), exposureSink, warehouse, settings, System::currentTimeMillis);
    }

    public Abtest(ConfigStore store, ProjectDirectory projects, StickyBucketStore sticky, ExposureSink exposureSink,
                  AnalyticsQueries warehouse, AbtestSettings settings, LongSupplier clock) {
        this(store, projects, sticky, exposureSink, warehouse, SegmentLookup.NONE, settings, clock);
    }

    /**
     * @param segments where units' realtime segment memberships are read for experiments that target segments
     *                 ({@link SegmentLookup#NONE}: only the caller's {@code segments} attribute counts)
     */
    public Abtest(ConfigStore store, ProjectDirectory projects, StickyBucketStore sticky, ExposureSink exposureSink,
                  AnalyticsQueries warehouse, SegmentLookup segments, AbtestSettings settings, LongSupplier clock) {
        this.catalog = new ExperimentCatalog(store, clock);
        this.exposures = new ExposureLogger(settings.logExposures() ? exposureSink : envelopes -> CompletableFuture.completedFuture(null),
                clock, settings.exposureMemory(), settings.exposureMaxPending());
        this.assignments = new AssignmentService(catalog, sticky, exposures, settings.stickyBucketing(), segments,
                settings.segmentLookupTimeout());
        this.analysis = new ExperimentAnalysis(warehouse, clock);
        AtomicInteger n = new AtomicInteger();
        this.analysisThreads = Executors.newFixedThreadPool(Math.max(1, settings.analysisThreads()), r -> {
            Thread t = new Thread(r, "beacon-abtest-analysis-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.routes = new AbtestRoutes(projects, catalog, assignments, analysis, settings.analysis(), analysisThreads, clock);
    }

    /** {@code /api/v1/experiments}, {@code /api/v1/assignments}, {@code /api/v1/features}, {@code /api/features/{key}}. */
    public Route routes() {
        return routes.routes();
    }

    public ExperimentCatalog catalog() {
        return catalog;
    }

    public AssignmentService assignments() {
        return assignments;
    }

    public ExposureLogger exposures() {
        return exposures;
    }

    public ExperimentAnalysis analysis() {
        return analysis;
    }

    @Override
    public void close() {
        catalog.close();
        analysisThreads.shutdown();
        try {
            analysisThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
