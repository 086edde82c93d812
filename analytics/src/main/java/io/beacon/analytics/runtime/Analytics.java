package io.beacon.analytics.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.cohorts.Cohorts;
import io.beacon.analytics.distribution.Distribution;
import io.beacon.analytics.distribution.Stickiness;
import io.beacon.analytics.funnels.Funnels;
import io.beacon.analytics.guardrails.CacheKey;
import io.beacon.analytics.guardrails.CanonicalJson;
import io.beacon.analytics.guardrails.ProjectQueryLimit;
import io.beacon.analytics.guardrails.QueryLog;
import io.beacon.analytics.guardrails.ResultCache;
import io.beacon.analytics.guardrails.StatementRecorder;
import io.beacon.analytics.guardrails.Watermark;
import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.journeys.JourneyReport;
import io.beacon.analytics.lifecycle.Lifecycle;
import io.beacon.analytics.paths.Paths;
import io.beacon.analytics.query.CohortResolver;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.query.ResultJson;
import io.beacon.analytics.retention.Retention;
import io.beacon.analytics.sql.SqlConsole;
import io.beacon.analytics.timeline.Timeline;
import io.beacon.analytics.timeline.TimelineQuery;
import io.beacon.analytics.trends.Trends;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.ConfigStore;
import io.beacon.event.RefusedException;
import io.beacon.warehouse.clickhouse.MeasuredResult;
import io.beacon.warehouse.clickhouse.QueryResult;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The analysis module's entry point: parses a JSON query for a project (cohort filters resolved through
 * {@link Cohorts}), runs it against ClickHouse through the {@link Warehouse} port and returns a result record
 * (serialised by the routes, {@code io.beacon.analytics.api}); also the cohorts and the SQL console. Guard rails: a
 * per-project concurrency limit ({@link ProjectQueryLimit}, refused as busy), ClickHouse's
 * {@code max_execution_time} on every statement, the result cache and the asynchronous {@code query_log}
 * ({@link #answer}; see {@code io.beacon.analytics.guardrails}). Refusals are {@link RefusedException}s; no HTTP here.
 */
public final class Analytics implements AutoCloseable {
    private static final ObjectMapper JSON = ResultJson.mapper();
    private final ProjectDirectory projects;
    private final SqlRunner runner;
    private final ExecutorService executor;
    private final ProjectQueryLimit limit;

    private final Warehouse warehouse;
    private final ConfigStore store;
    private final Clock clock;
    private final Cohorts cohorts;
    private final SqlConsole console;
    private final ResultCache cache;
    private final QueryLog queryLog;

    /**
     * @param store     the config store (cohort definitions, kind {@value Cohorts#KIND}; journeys' published versions)
     * @param warehouse ClickHouse ({@link Warehouse#of})
     */
    public Analytics(ProjectDirectory projects, ConfigStore store, Warehouse warehouse, AnalyticsSettings settings) {
        this(projects, store, warehouse, settings, Clock.systemUTC());
    }

    /**
     * @param clock "now" of relative cohort windows ("the last D days"); tests pass a fixed clock
     */
    public Analytics(ProjectDirectory projects, ConfigStore store, Warehouse warehouse, AnalyticsSettings settings, Clock clock) {
        this.clock = clock;
        this.projects = projects;
        this.warehouse = warehouse;
        this.store = store;
        Map<String, String> limits = Map.of("max_execution_time", Long.toString(Math.max(1, settings.queryTimeout().toSeconds())));
        this.runner = sql -> measured(warehouse, sql, limits);
        this.limit = new ProjectQueryLimit(settings.maxConcurrentPerProject());
        this.cohorts = new Cohorts(store, warehouse, runner);
        this.console = new SqlConsole(warehouse, settings);
        this.cache = new ResultCache(settings.cacheTtl(), settings.cacheMaxEntries(), settings.cacheMaxBytes(), System::nanoTime);
        this.queryLog = settings.queryLog() ? new QueryLog(warehouse) : null;
        this.executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "beacon-analytics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses and runs {@code body} for {@code project} (blocking), without cache or query log. */
    public Object run(Project project, JsonNode body) {
        return execute(project, QueryParser.parse(body, project.zone(), cohorts.resolver(project.id(), project.zone(), clock.instant())));
    }

    /** Runs a parsed query under the project's concurrency limit (blocking). */
    public Object execute(Project project, InsightQuery query) {
        try (ProjectQueryLimit.Permit permit = limit.acquire(project.id())) {
            if (query instanceof InsightQuery.Trends t) {
                return Trends.run(project.id(), t, runner);
            }
            if (query instanceof InsightQuery.Funnel f) {
                return Funnels.run(project.id(), f, runner);
            }
            if (query instanceof InsightQuery.Paths p) {
                return Paths.run(project.id(), p, runner);
            }
            if (query instanceof InsightQuery.Distribution d) {
                return Distribution.run(project.id(), d, runner);
            }
            if (query instanceof InsightQuery.Stickiness st) {
                return Stickiness.run(project.id(), st, runner);
            }
            if (query instanceof InsightQuery.Lifecycle l) {
                return Lifecycle.run(project.id(), l, runner);
            }
            return Retention.run(project.id(), (InsightQuery.Retention) query, runner);
        }
    }

    /**
     * A person's timeline page ({@code GET /api/v1/persons/{id}/timeline}); the same per-project
     * concurrency limit as the insights.
     */
    public Object timeline(Project project, String id, Map<String, String> params) {
        TimelineQuery query = TimelineQuery.parse(id, params, project.zone());
        try (ProjectQueryLimit.Permit permit = limit.acquire(project.id())) {
            return Timeline.run(project.id(), query, runner);
        }
    }

    /** An analysis result as JSON, and whether it came from the result cache. */
    public record Answer(ObjectNode result, boolean cacheHit) {
    }

    /**
     * Parses and runs {@code body} with the guard rails: the result cache (key: project, zone, normalized query,
     * resolved cohorts, data watermark) and the query log (one row per statement, or one per cache hit/refusal).
     *
     * @param keyId identifies the caller's key in the query log (never the key itself)
     */
    public Answer answer(Project project, String keyId, JsonNode body) {
        String requestId = UUID.randomUUID().toString();
        long startMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        String analysis = body.path("analysis").asText("");
        String normalized = CanonicalJson.of(body);
        List<String> cohortSql = new ArrayList<>();
        CohortResolver resolver = cohorts.resolver(project.id(), project.zone(), clock.instant());
        StatementRecorder recorder = StatementRecorder.start();
        try {
            InsightQuery query = QueryParser.parse(body, project.zone(), (id, field) -> {
                String sql = resolver.membersSql(id, field);
                cohortSql.add(sql);
                return sql;
            });
            String key = null;
            if (cache.enabled()) {
                key = CacheKey.of(project.id(), project.zone().getId(), normalized, cohortSql, watermark());
                var hit = cache.get(key);
                if (hit.isPresent()) {
                    log(new QueryLog.Row(project.id(), keyId, requestId, 0, analysis, normalized, "", startMs, (System.nanoTime() - t0) / 1_000_000,
                            0, 0, 0, "cache_hit", "", true));
                    return new Answer(hit.get(), true);
                }
            }
            ObjectNode result = JSON.valueToTree(execute(project, query));
            if (key != null) {
                cache.put(key, result, result.toString().length());
            }
            logStatements(project.id(), keyId, requestId, analysis, normalized, recorder, null);
            return new Answer(result, false);
        } catch (RuntimeException e) {
            logStatements(project.id(), keyId, requestId, analysis, normalized, recorder, e);
            throw e;
        } finally {
            StatementRecorder.stop();
        }
    }

    /** {@code POST /api/v1/sql}: read-only SQL pinned to the project ({@link SqlConsole}), logged as analysis {@code sql}. */
    public ObjectNode sql(Project project, String keyId, String sql) {
        String requestId = UUID.randomUUID().toString();
        ProjectQueryLimit.Permit permit = limit.acquire(project.id()); // a refusal is not logged
        StatementRecorder recorder = StatementRecorder.start();
        try {
            ObjectNode out = console.run(project.id(), sql);
            logStatements(project.id(), keyId, requestId, "sql", sql, recorder, null);
            return out;
        } catch (RuntimeException e) {
            logStatements(project.id(), keyId, requestId, "sql", sql == null ? "" : sql, recorder, e);
            throw e;
        } finally {
            permit.close();
            StatementRecorder.stop();
        }
    }

    private String watermark() {
        return runner.run(Watermark.sql()).single();
    }

    private void logStatements(String projectId, String keyId, String requestId, String analysis, String query, StatementRecorder recorder,
                               RuntimeException failure) {
        if (queryLog == null) {
            return;
        }
        // The watermark read is bookkeeping of the cache, not part of the analysis.
        List<StatementRecorder.Statement> statements = recorder.statements().stream().filter(st -> !st.sql().equals(Watermark.sql())).toList();
        String failureCode = failure == null ? "" : errorCode(failure);
        if (statements.isEmpty()) {
            long now = System.currentTimeMillis();
            log(new QueryLog.Row(projectId, keyId, requestId, 0, analysis, query, "", now, 0, 0, 0, 0, failure == null ? "ok" : "error",
                    failureCode, false));
            return;
        }
        int n = 0;
        for (StatementRecorder.Statement st : statements) {
            n++;
            boolean failed = st.error() != null;
            log(new QueryLog.Row(projectId, keyId, requestId, n, analysis, query, st.sql(), st.startedAtMs(), st.durationMs(), st.rowsRead(),
                    st.bytesRead(), st.resultRows(), failed ? (st.error().serverCode() == 159 ? "timeout" : "error") : "ok",
                    failed ? errorCode(st.error()) : "", false));
        }
    }

    private static String errorCode(RuntimeException e) {
        if (e instanceof WarehouseException w) {
            return w.fromServer() ? "CH_" + w.serverCode() : "WAREHOUSE_UNREACHABLE";
        }
        if (e instanceof RefusedException r) {
            return r.code();
        }
        return e.getClass().getSimpleName();
    }

    private void log(QueryLog.Row row) {
        if (queryLog != null) {
            queryLog.log(row);
        }
    }

    /** Runs a SELECT through the port and records it for the query log of the current request. */
    private static QueryResult measured(Warehouse warehouse, String sql, Map<String, String> limits) {
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        StatementRecorder rec = StatementRecorder.current();
        try {
            MeasuredResult m = warehouse.query(sql, limits);
            if (rec != null) {
                rec.add(new StatementRecorder.Statement(sql, start, (System.nanoTime() - t0) / 1_000_000, m.rowsRead(), m.bytesRead(),
                        m.result().size(), null));
            }
            return m.result();
        } catch (WarehouseException e) {
            if (rec != null) {
                rec.add(new StatementRecorder.Statement(sql, start, (System.nanoTime() - t0) / 1_000_000, 0, 0, 0, e));
            }
            throw e;
        }
    }

    /** The clock of relative cohort windows. */
    public Clock clock() {
        return clock;
    }

    public Cohorts cohorts() {
        return cohorts;
    }

    public ResultCache cache() {
        return cache;
    }

    public ProjectDirectory projects() {
        return projects;
    }

    /** Journey figures and a person's runs from {@code journey_events} (blocking: call on {@link #executor()}). */
    public JourneyReport journeys() {
        return new JourneyReport(warehouse, store);
    }

    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (queryLog != null) {
            queryLog.close();
        }
    }
}
