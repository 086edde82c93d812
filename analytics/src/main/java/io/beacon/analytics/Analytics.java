package io.beacon.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.analytics.api.AnalyticsRoutes;
import io.beacon.control.api.http.ApiException;
import io.beacon.analytics.funnels.Funnels;
import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.retention.Retention;
import io.beacon.analytics.trends.Trends;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The analysis module's entry point: parses a JSON query for a project, runs it against ClickHouse through
 * {@link SqlRunner} and returns a result record (serialised by the routes). Guard rails: a per-project
 * concurrency limit (429 beyond it) and ClickHouse's {@code max_execution_time} on every statement (408).
 */
public final class Analytics implements AutoCloseable {
    private final ProjectDirectory projects;
    private final SqlRunner runner;
    private final AnalyticsSettings settings;
    private final ExecutorService executor;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    /** @param runner runs one SELECT; production passes {@code clickhouse::query} */
    public Analytics(ProjectDirectory projects, SqlRunner runner, AnalyticsSettings settings) {
        this.projects = projects;
        long timeout = Math.max(1, settings.queryTimeout().toSeconds());
        this.runner = sql -> runner.run(sql + "\nSETTINGS max_execution_time = " + timeout);
        this.settings = settings;
        this.executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "beacon-analytics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses and runs {@code body} for {@code project} (blocking). */
    public Object run(Project project, JsonNode body) {
        InsightQuery query = QueryParser.parse(body, project.zone());
        Semaphore s = permits.computeIfAbsent(project.id(), k -> new Semaphore(settings.maxConcurrentPerProject()));
        if (!s.tryAcquire()) {
            throw new ApiException(429, "TOO_MANY_QUERIES", "this project already runs " + settings.maxConcurrentPerProject()
                    + " queries; retry when one finished", null);
        }
        try {
            if (query instanceof InsightQuery.Trends t) {
                return Trends.run(project.id(), t, runner);
            }
            if (query instanceof InsightQuery.Funnel f) {
                return Funnels.run(project.id(), f, runner);
            }
            if (query instanceof InsightQuery.Paths p) {
                return io.beacon.analytics.paths.Paths.run(project.id(), p, runner);
            }
            if (query instanceof InsightQuery.Distribution d) {
                return io.beacon.analytics.distribution.Distribution.run(project.id(), d, runner);
            }
            if (query instanceof InsightQuery.Stickiness st) {
                return io.beacon.analytics.distribution.Stickiness.run(project.id(), st, runner);
            }
            if (query instanceof InsightQuery.Lifecycle l) {
                return io.beacon.analytics.lifecycle.Lifecycle.run(project.id(), l, runner);
            }
            return Retention.run(project.id(), (InsightQuery.Retention) query, runner);
        } finally {
            s.release();
        }
    }

    /**
     * A person's timeline page ({@code GET /api/v1/persons/{id}/timeline}); the same per-project
     * concurrency limit as the insights.
     */
    public Object timeline(Project project, String id, Map<String, String> params) {
        io.beacon.analytics.timeline.TimelineQuery query = io.beacon.analytics.timeline.TimelineQuery.parse(id, params, project.zone());
        Semaphore s = permits.computeIfAbsent(project.id(), k -> new Semaphore(settings.maxConcurrentPerProject()));
        if (!s.tryAcquire()) {
            throw new ApiException(429, "TOO_MANY_QUERIES", "this project already runs " + settings.maxConcurrentPerProject()
                    + " queries; retry when one finished", null);
        }
        try {
            return io.beacon.analytics.timeline.Timeline.run(project.id(), query, runner);
        } finally {
            s.release();
        }
    }

    public ProjectDirectory projects() {
        return projects;
    }

    public ExecutorService executor() {
        return executor;
    }

    /** {@code POST /api/v1/insights/{analysis}}. */
    public Route routes() {
        return new AnalyticsRoutes(this).routes();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
