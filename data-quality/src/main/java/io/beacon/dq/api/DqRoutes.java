package io.beacon.dq.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.project.Project;
import io.beacon.dq.StageCount;
import io.beacon.dq.loss.LossReport;
import io.beacon.dq.monitor.Monitors;
import io.beacon.dq.reconcile.Reconciliation;
import io.beacon.dq.runtime.DataQuality;
import io.beacon.dq.store.DqAlerts;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.ErrorMapping;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The data-quality API, authenticated with the project's secret key; ClickHouse and Kafka reads run on
 * {@code executor}.
 * <ul>
 *   <li>{@code GET /api/v1/dq/counts[?from&to&granularity=minute|window]} → {@code {"from","to","granularity",
 *       "totals":{stage:n},"rows":[{"at","stage","code","event_name","count"}]}} (default: the last 24 hours by
 *       window; minutes over at most 2 days);</li>
 *   <li>{@code GET /api/v1/dq/loss[?from&to]} → {@code {"window","threshold","grace","caught_up_to","windows":[{"start",
 *       "accepted","rejected","dead_lettered","duplicates","written","stored","lost","rate","complete","alert"}]}};</li>
 *   <li>{@code POST /api/v1/dq/reconcile} {@code {"window":"2026-12-08T10:00:00Z"}} (a window start; {@code hour} is
 *       accepted too) → the reconciliation of that window against the raw topic and the DLQ;</li>
 *   <li>{@code GET /api/v1/dq/monitors[?from&to]} → {@code {"minimum_fill_rate","fill_rates":[{"event_name","property",
 *       "required","events","filled","rate","below"}]}}: every property a registered event lists;</li>
 *   <li>{@code GET /api/v1/dq/latency[?from&to]} → {@code {"events","client_to_server","clock_skew_correction",
 *       "to_clickhouse","to_valid_topic":{"p50_ms","p95_ms","p99_ms"},"threshold_ms"}} (the valid-topic figure is the
 *       serving node's collector since it started; {@code to_clickhouse} has second resolution);</li>
 *   <li>{@code GET /api/v1/dq/warnings[?from&to]} → {@code {"warnings":[{"code","field","severity","hour","events","first",
 *       "last","sample_event_id"}]}}: one per code and hour (events' warning tags; dead letters as {@code error});</li>
 *   <li>{@code GET /api/v1/dq/alerts[?from&to]} → {@code {"alerts":[{"id","at","kind","subject","severity","window_start",
 *       "value","threshold","message","details"}]}}, newest first (the {@code $dq_alert} events).</li>
 * </ul>
 * {@code from}/{@code to} are instants ({@code 2026-12-08T10:00:00Z}) or UTC dates ({@code to} inclusive); a
 * malformed or unknown parameter, or {@code to} before {@code from}, answers 400 {@code INVALID_PARAMETER} naming
 * it; a range over 31 days (2 for minutes) answers 400 {@code RANGE_TOO_LARGE}.
 */
public final class DqRoutes extends AllDirectives {
    private static final long DAY_MS = 86_400_000L;
    private static final ApiErrors ERRORS = ApiErrors.standard().with(
            ErrorMapping.on(WarehouseException.class, e -> ApiError.of(502, "WAREHOUSE_ERROR", e.getMessage(), null)),
            ErrorMapping.on(IllegalStateException.class, e -> ApiError.of(422, "TOO_LARGE", e.getMessage(), null)));
    private final DataQuality dq;
    private final DqAlerts alerts;
    private final SecretKeyAuth<Project> keys;
    private final Executor executor;

    public DqRoutes(DataQuality dq, DqAlerts alerts, Function<String, Optional<Project>> projectOfSecretKey, Executor executor) {
        this.dq = dq;
        this.alerts = alerts;
        this.keys = new SecretKeyAuth<>(projectOfSecretKey);
        this.executor = executor;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("dq", () -> concat(
                path("counts", () -> get(() -> query(this::counts))),
                path("loss", () -> get(() -> query(this::loss))),
                path("alerts", () -> get(() -> query(this::alertList))),
                path("monitors", () -> get(() -> query(this::monitors))),
                path("latency", () -> get(() -> query(this::latency))),
                path("warnings", () -> get(() -> query(this::warnings))),
                path("reconcile", () -> post(() -> ApiRoutes.request(ERRORS, keys, this::reconcile)))))));
    }

    @FunctionalInterface
    private interface QueryHandler {
        CompletionStage<HttpResponse> handle(Project project, Map<String, String> params);
    }

    private Route query(QueryHandler handler) {
        return optionalHeaderValueByName("Authorization", auth -> parameterMap(params ->
                completeWithFuture(ERRORS.guard(() -> handler.handle(keys.authenticate(auth), params)))));
    }

    private CompletionStage<HttpResponse> counts(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to", "granularity"));
        long[] range = range(params, 31);
        String granularity = params.getOrDefault("granularity", "window");
        if (!granularity.equals("minute") && !granularity.equals("window")) {
            throw ApiException.badRequest("INVALID_PARAMETER", "granularity is minute or window", "granularity");
        }
        if (granularity.equals("minute") && range[1] - range[0] > 2 * DAY_MS) {
            throw ApiException.badRequest("RANGE_TOO_LARGE", "minutes are served over at most 2 days", "from");
        }
        long bucket = granularity.equals("minute") ? 60_000L : dq.settings().window().toMillis();
        return async(() -> {
            ObjectNode o = rangeJson(range);
            o.put("granularity", granularity);
            Map<String, Long> totals = new TreeMap<>();
            ArrayNode rows = JsonNodeFactory.instance.arrayNode();
            for (StageCount c : dq.counts(p.id(), range[0], range[1], bucket)) {
                totals.merge(c.stage(), c.count(), Long::sum);
                rows.addObject().put("at", Instant.ofEpochMilli(c.bucketMs()).toString()).put("stage", c.stage())
                        .put("code", c.code()).put("event_name", c.eventName()).put("count", c.count());
            }
            ObjectNode t = o.putObject("totals");
            totals.forEach(t::put);
            o.set("rows", rows);
            return o;
        });
    }

    private CompletionStage<HttpResponse> loss(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to"));
        long[] range = range(params, 31);
        return async(() -> {
            ObjectNode o = rangeJson(range);
            o.put("window", dq.settings().window().toString());
            o.put("threshold", dq.settings().lossThreshold());
            o.put("grace", dq.settings().grace().toString());
            long caught = dq.caughtUpToMs();
            if (caught > 0) {
                o.put("caught_up_to", Instant.ofEpochMilli(caught).toString());
            } else {
                o.putNull("caught_up_to");
            }
            ArrayNode ws = o.putArray("windows");
            for (LossReport.Hour h : dq.loss(p.id(), range[0], range[1])) {
                ws.addObject().put("start", Instant.ofEpochMilli(h.totals().hourMs()).toString())
                        .put("accepted", h.totals().accepted()).put("rejected", h.totals().rejected())
                        .put("dead_lettered", h.totals().deadLettered()).put("duplicates", h.totals().duplicates())
                        .put("written", h.totals().written()).put("stored", h.totals().stored()).put("lost", h.lost())
                        .put("rate", h.rate()).put("complete", h.complete()).put("alert", h.alert());
            }
            return o;
        });
    }

    private CompletionStage<HttpResponse> alertList(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to"));
        long[] range = range(params, 31);
        return async(() -> {
            ObjectNode o = rangeJson(range);
            o.set("alerts", alerts.list(p.id(), range[0], range[1], 500));
            return o;
        });
    }

    private CompletionStage<HttpResponse> monitors(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to"));
        long[] range = range(params, 31);
        return async(() -> {
            ObjectNode o = rangeJson(range);
            o.put("minimum_fill_rate", DataQuality.MIN_FILL_RATE);
            ArrayNode items = o.putArray("fill_rates");
            for (Monitors.FillRate f : dq.monitors(p.id(), range[0], range[1])) {
                items.addObject().put("event_name", f.eventName()).put("property", f.property()).put("required", f.required())
                        .put("events", f.events()).put("filled", f.filled()).put("rate", f.rate()).put("below", f.below());
            }
            return o;
        });
    }

    private CompletionStage<HttpResponse> latency(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to"));
        long[] range = range(params, 31);
        return async(() -> {
            ObjectNode o = rangeJson(range);
            Map<String, Long> l = dq.latency(p.id(), range[0], range[1]);
            o.put("events", l.getOrDefault("n", 0L));
            for (String stage : new String[] {"client", "skew", "visible", "valid"}) {
                ObjectNode s = o.putObject(stage.equals("client") ? "client_to_server" : stage.equals("skew") ? "clock_skew_correction"
                        : stage.equals("visible") ? "to_clickhouse" : "to_valid_topic");
                for (String q : new String[] {"p50", "p95", "p99"}) {
                    Long v = l.get(stage + "_" + q);
                    if (v == null) {
                        s.putNull(q + "_ms");
                    } else {
                        s.put(q + "_ms", v);
                    }
                }
            }
            o.put("threshold_ms", dq.settings().latencyThreshold().toMillis());
            return o;
        });
    }

    private CompletionStage<HttpResponse> warnings(Project p, Map<String, String> params) {
        allowOnly(params, Set.of("from", "to"));
        long[] range = range(params, 31);
        return async(() -> {
            ObjectNode o = rangeJson(range);
            ArrayNode items = o.putArray("warnings");
            for (Monitors.Warning w : dq.warnings(p.id(), range[0], range[1])) {
                items.addObject().put("code", w.code()).put("field", w.field()).put("severity", w.severity())
                        .put("hour", Instant.ofEpochMilli(w.hourMs()).toString()).put("events", w.events())
                        .put("first", Instant.ofEpochMilli(w.firstMs()).toString()).put("last", Instant.ofEpochMilli(w.lastMs()).toString())
                        .put("sample_event_id", w.sampleEventId());
            }
            return o;
        });
    }

    private CompletionStage<HttpResponse> reconcile(Project p, ApiRoutes.Request request) {
        ObjectNode body = Json.parseObject(request.body());
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("window") && !f.equals("hour")) {
                throw ApiException.badRequest("INVALID_REQUEST", "unknown field (allowed: window)", f.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        String field = body.has("window") ? "window" : "hour";
        JsonNode w = body.get(field);
        if (w == null || !w.isTextual()) {
            throw ApiException.badRequest("INVALID_REQUEST", "window is required: the start of a window, e.g. 2026-12-08T10:00:00Z", "window");
        }
        long start;
        try {
            start = Instant.parse(w.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_REQUEST", "not an instant (e.g. 2026-12-08T10:00:00Z)", field);
        }
        if (dq.settings().windowOf(start) != start) {
            throw ApiException.badRequest("INVALID_REQUEST", "not the start of a " + dq.settings().window() + " window", field);
        }
        return async(() -> {
            Reconciliation r = dq.reconcile(p.id(), start);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("project_id", p.id());
            o.put("window", Instant.ofEpochMilli(start).toString());
            o.put("window_length", dq.settings().window().toString());
            o.put("accepted_records", r.acceptedRecords()).put("accepted_ids", r.acceptedIds()).put("duplicate_copies", r.duplicateCopies())
                    .put("dead_lettered", r.deadLettered()).put("stored", r.stored()).put("missing", r.missing());
            ArrayNode sample = o.putArray("missing_sample");
            r.missingSample().forEach(sample::add);
            o.put("unexpected", r.unexpected());
            ObjectNode acc = o.putObject("accuracy");
            acc.put("counter_records", r.counterRecords()).put("raw_records", r.acceptedRecords()).put("counter_diff", r.counterDiff())
                    .put("stored_users", r.storedUsers()).put("raw_users", r.rawUsers()).put("users_diff", r.usersDiff())
                    .put("threshold", dq.settings().accuracyThreshold());
            o.put("alert", r.alert(dq.settings().accuracyThreshold()));
            return o;
        });
    }

    private CompletionStage<HttpResponse> async(Supplier<JsonNode> body) {
        return CompletableFuture.supplyAsync(() -> Json.response(200, body.get()), executor);
    }

    private static ObjectNode rangeJson(long[] range) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("from", Instant.ofEpochMilli(range[0]).toString());
        o.put("to", Instant.ofEpochMilli(range[1]).toString());
        return o;
    }

    private static void allowOnly(Map<String, String> params, Set<String> allowed) {
        for (String k : params.keySet()) {
            if (!allowed.contains(k)) {
                throw ApiException.badRequest("INVALID_PARAMETER", "unknown parameter (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")",
                        k.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }

    /** [from, to) in epoch ms: defaults to the last 24 hours. */
    private long[] range(Map<String, String> params, int maxDays) {
        long now = System.currentTimeMillis();
        long to = params.containsKey("to") ? instant(params.get("to"), "to", true) : now;
        long from = params.containsKey("from") ? instant(params.get("from"), "from", false) : to - DAY_MS;
        if (to <= from) {
            throw ApiException.badRequest("INVALID_PARAMETER", "to must be after from", "to");
        }
        if (to - from > Duration.ofDays(maxDays).toMillis()) {
            throw ApiException.badRequest("RANGE_TOO_LARGE", "at most " + maxDays + " days", "from");
        }
        return new long[] {from, to};
    }

    private static long instant(String text, String field, boolean endOfDay) {
        try {
            if (text.length() == 10) {
                LocalDate d = LocalDate.parse(text);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_PARAMETER", "not an instant (2026-12-08T10:00:00Z) or a date (2026-12-08)", field);
        }
    }
}
