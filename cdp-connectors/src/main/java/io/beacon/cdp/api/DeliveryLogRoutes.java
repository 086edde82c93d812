package io.beacon.cdp.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.cdp.log.DeliveryLog;
import io.beacon.cdp.log.DeliveryStats;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
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
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery log API (issue 17, items 7 and 9): what the console's destination pages show, authenticated with the
 * project's secret key and scoped to its project. {@link #routes()} matches below {@code /api/v1} (the connectors'
 * facade mounts it there with its other routes), and must come <em>before</em> the destination definitions'
 * {@code /api/v1/destinations/{id}} routes (else {@code stats} is taken for an id).
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /api/v1/destinations/stats?window=24h}</td><td>{@code {"window","from","to","destinations":[stats…]}}:
 *       every destination with attempts in the window, ordered by id</td></tr>
 *   <tr><td>{@code GET /api/v1/destinations/{id}/stats?window=24h}</td><td>the destination's stats (zeros and
 *       {@code null}s when it had no attempts)</td></tr>
 *   <tr><td>{@code GET /api/v1/destinations/{id}/attempts?limit=50&message_id=}</td><td>{@code {"destination_id",
 *       "attempts":[…]}} newest first, each the {@code beacon.cdp.deliveries} JSON plus {@code at} (ISO)</td></tr>
 * </table>
 *
 * <p>Stats are {@code {"destination_id","attempts","messages","delivered","failed":{"retry","throttled",
 * "dead_lettered"},"success_rate","latency_ms":{"p50","p95","p99"},"last_attempt_at"}}; {@code success_rate} is
 * delivered messages / messages attempted. {@code window}: {@code 30m}, {@code 24h}, {@code 7d} or ISO-8601
 * ({@code PT6H}), 1 minute..366 days, default 24h; {@code limit} 1..500, default 50. A malformed or unknown
 * parameter answers 400 naming it; a ClickHouse failure 502 {@code WAREHOUSE_ERROR}.
 */
public final class DeliveryLogRoutes extends AllDirectives {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLogRoutes.class);
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    private static final int DEFAULT_LIMIT = 50;
    private static final Pattern SHORT_WINDOW = Pattern.compile("([0-9]{1,6})([mhd])");
    private static final Set<String> STATS_PARAMS = Set.of("window");
    private static final Set<String> ATTEMPTS_PARAMS = Set.of("limit", "message_id");
    private static final ApiErrors ERRORS = ApiErrors.of(ErrorMapping.on(WarehouseException.class, e -> {
        LOG.warn("delivery log read failed: {}", e.getMessage());
        return ApiError.of(502, "WAREHOUSE_ERROR", "the delivery log could not be read from ClickHouse", null);
    }));

    private final SecretKeyAuth<Project> secretKeys;
    private final DeliveryLog log;
    private final Executor executor;

    /** @param executor runs the (blocking) ClickHouse reads off the HTTP server's threads */
    public DeliveryLogRoutes(ProjectDirectory projects, DeliveryLog log, Executor executor) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.log = Objects.requireNonNull(log, "log");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** The routes below the mount point {@code /api/v1} ({@code destinations/…}). */
    public Route routes() {
        return pathPrefix("destinations", () -> concat(
                path("stats", () -> get(() -> parameterMap(params ->
                        request((p, r) -> allStats(p, params))))),
                pathPrefix(segment(), id -> concat(
                        path("stats", () -> get(() -> parameterMap(params ->
                                request((p, r) -> stats(p, id, params))))),
                        path("attempts", () -> get(() -> parameterMap(params ->
                                request((p, r) -> attempts(p, id, params)))))))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(ERRORS, secretKeys, handler);
    }

    // ---- handlers ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> allStats(Project p, Map<String, String> params) {
        allowOnly(params, STATS_PARAMS);
        Duration window = window(params.get("window"));
        return async(() -> {
            Instant to = log.clock().instant();
            List<DeliveryStats> all = log.statsOfAll(p.id(), window);
            ObjectNode o = windowJson(window, to);
            ArrayNode items = o.putArray("destinations");
            all.forEach(s -> items.add(statsJson(s)));
            return Json.response(200, o);
        });
    }

    private CompletionStage<HttpResponse> stats(Project p, String id, Map<String, String> params) {
        allowOnly(params, STATS_PARAMS);
        Duration window = window(params.get("window"));
        return async(() -> {
            Instant to = log.clock().instant();
            ObjectNode o = windowJson(window, to);
            o.setAll(statsJson(log.stats(p.id(), id, window)));
            return Json.response(200, o);
        });
    }

    private CompletionStage<HttpResponse> attempts(Project p, String id, Map<String, String> params) {
        allowOnly(params, ATTEMPTS_PARAMS);
        int limit = limit(params.get("limit"));
        Optional<String> messageId = Optional.ofNullable(params.get("message_id")).filter(m -> !m.isEmpty());
        return async(() -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("destination_id", id);
            ArrayNode items = o.putArray("attempts");
            for (DeliveryAttempt a : log.recentAttempts(p.id(), id, limit, messageId)) {
                ObjectNode item = CdpCodec.toJson(a);
                item.put("at", Instant.ofEpochMilli(a.atMs()).toString());
                items.add(item);
            }
            return Json.response(200, o);
        });
    }

    // ---- JSON ----------------------------------------------------------------------------------

    private static ObjectNode windowJson(Duration window, Instant to) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("window", window.toString());
        o.put("from", to.minus(window).toString());
        o.put("to", to.toString());
        return o;
    }

    static ObjectNode statsJson(DeliveryStats s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("destination_id", s.destinationId());
        o.put("attempts", s.attempts());
        o.put("messages", s.messages());
        o.put("delivered", s.delivered());
        ObjectNode failed = o.putObject("failed");
        failed.put("retry", s.failed().retry());
        failed.put("throttled", s.failed().throttled());
        failed.put("dead_lettered", s.failed().deadLettered());
        if (s.successRate().isPresent()) {
            o.put("success_rate", s.successRate().getAsDouble());
        } else {
            o.putNull("success_rate");
        }
        s.latencyMs().ifPresentOrElse(l -> {
            ObjectNode latency = o.putObject("latency_ms");
            latency.put("p50", l.p50());
            latency.put("p95", l.p95());
            latency.put("p99", l.p99());
        }, () -> o.putNull("latency_ms"));
        if (s.lastAttemptAtMs().isPresent()) {
            o.put("last_attempt_at", Instant.ofEpochMilli(s.lastAttemptAtMs().getAsLong()).toString());
        } else {
            o.putNull("last_attempt_at");
        }
        return o;
    }

    // ---- parameters ----------------------------------------------------------------------------

    /** {@code 30m}, {@code 24h}, {@code 7d} or an ISO-8601 duration; absent → 24 h. */
    static Duration window(String text) {
        if (text == null) {
            return DEFAULT_WINDOW;
        }
        Duration d = null;
        Matcher m = SHORT_WINDOW.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (text.length() <= 40) {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.compareTo(DeliveryLog.MIN_WINDOW) < 0 || d.compareTo(DeliveryLog.MAX_WINDOW) > 0) {
            throw ApiException.badRequest("INVALID_WINDOW",
                    "window must be a duration such as 30m, 24h, 7d or PT6H, between 1 minute and 366 days", "window");
        }
        return d;
    }

    /** An integer 1..500; absent → 50. */
    static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1 && v <= DeliveryLog.MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("INVALID_LIMIT", "limit must be an integer in 1.." + DeliveryLog.MAX_LIMIT, "limit");
    }

    private static void allowOnly(Map<String, String> params, Set<String> allowed) {
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                String shown = name.length() > 60 ? name.substring(0, 60) + "…" : name;
                throw ApiException.badRequest("UNKNOWN_PARAMETER", "unknown parameter (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")",
                        shown);
            }
        }
    }

    private CompletionStage<HttpResponse> async(Supplier<HttpResponse> call) {
        return CompletableFuture.supplyAsync(call, executor);
    }
}
