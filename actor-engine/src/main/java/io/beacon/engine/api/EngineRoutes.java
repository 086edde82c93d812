package io.beacon.engine.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.engine.runtime.Engine;
import io.beacon.engine.runtime.PartitionIndex;
import io.beacon.engine.runtime.SegmentSource;
import io.beacon.engine.runtime.UserEntity;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The engine's HTTP API (secret-key bearer auth like every {@code /api/v1} route; the project is the key's):
 * <ul>
 *   <li>{@code GET /api/v1/users/{id}}: the profile of person {@code id} (404 {@code USER_NOT_FOUND});</li>
 *   <li>{@code GET /api/v1/users/{id}/features?as_of_ms=}: the person's feature vector of the serving spec as of
 *       that time (default now), {@code {"person_id","as_of_ms","feature_fingerprint","features":{…}}}: the online
 *       half of the training/serving skew check;</li>
 *   <li>{@code GET /api/v1/segments/{id}/members?limit=&cursor=}: members, paged across partitions with an
 *       opaque cursor ({@code next_cursor} is null on the last page);</li>
 *   <li>{@code GET /api/v1/segments/{id}/stats?from=&to=}: current size and hourly size over time, summed over
 *       partitions;</li>
 *   <li>{@code GET /metrics}: the engine's metrics (Prometheus text, {@link io.beacon.engine.runtime.EngineMetrics#collector}),
 *       consumer lag per partition included; a Beacon node answers it first with its whole registry.</li>
 * </ul>
 * Any node answers: cluster sharding routes a profile request to the user's partition owner and a members or
 * stats request to each partition's index. 503 {@code ENGINE_UNAVAILABLE} while a partition is being
 * restored or moved.
 */
public final class EngineRoutes extends AllDirectives {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code text/plain; version=0.0.4; charset=utf-8}, what a node's {@code /metrics} answers too. */
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final Duration DEFAULT_STATS_SPAN = Duration.ofDays(1);
    private static final Duration MAX_STATS_SPAN = Duration.ofDays(92);
    private static final long HOUR_MS = 3_600_000L;
    private static final int MAX_ID_LENGTH = 512;
    /** A partition not answering from an open store (restored, moved, ask timed out) → 503 {@code ENGINE_UNAVAILABLE}. */
    private static final ApiError UNAVAILABLE = ApiError.of(503, "ENGINE_UNAVAILABLE",
            "the user's partition is being restored or moved between nodes; retry shortly", null).withRetryAfter(1);
    private static final ApiErrors ERRORS = ApiErrors.of(
            failure -> failure instanceof Unavailable || failure instanceof TimeoutException
                    || failure.getClass().getName().endsWith("AskTimeoutException") ? Optional.of(UNAVAILABLE) : Optional.empty(),
            ControlPlaneErrors.MAPPING);

    private final Engine engine;
    private final SecretKeyAuth<Project> secretKeys;
    private final SegmentSource segments;

    public EngineRoutes(Engine engine, ProjectDirectory projects, SegmentSource segments) {
        this.engine = engine;
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.segments = segments;
    }

    public Route routes() {
        return concat(
                pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                        pathPrefix("users", () -> concat(
                                path(segment().slash("features"), id -> get(() -> parameterOptional("as_of_ms", asOf ->
                                        authorized(project -> completeWithFuture(features(project, id, asOf)))))),
                                path(segment(), id -> get(() ->
                                        authorized(project -> completeWithFuture(profile(project, id))))))),
                        pathPrefix("segments", () -> pathPrefix(segment(), segmentId -> concat(
                                path("members", () -> get(() -> parameterOptional("limit", limit ->
                                        parameterOptional("cursor", cursor -> authorized(project ->
                                                completeWithFuture(members(project, segmentId, limit, cursor))))))),
                                path("stats", () -> get(() -> parameterOptional("from", from ->
                                        parameterOptional("to", to -> authorized(project ->
                                                completeWithFuture(stats(project, segmentId, from, to))))))))))))),
                path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(
                        HttpEntities.create(PROMETHEUS_TEXT,
                                engine.metrics().prometheus(engine.settings().nodeId()).getBytes(StandardCharsets.UTF_8)))))));
    }

    private Route authorized(Function<Project, Route> inner) {
        return ApiRoutes.authenticated(ERRORS, secretKeys, inner);
    }

    // ---- GET /api/v1/users/{id} ----

    private CompletionStage<HttpResponse> profile(Project project, String id) {
        try {
            checkId(id, "id");
            String key = project.id() + ":" + id;
            return engine.sharding().user(key)
                    .<UserEntity.Profile>ask(replyTo -> new UserEntity.GetProfile(engine.nowMs(), replyTo), ASK_TIMEOUT)
                    .thenApply(p -> switch (p.status()) {
                        case OK -> Json.response(200, p.json().getBytes(StandardCharsets.UTF_8));
                        case NOT_FOUND -> ApiErrors.error(404, "USER_NOT_FOUND", "no user '" + printable(id) + "' in project " + project.id(), "id");
                        case NOT_OWNED, STALE -> UNAVAILABLE.toResponse();
                    })
                    .exceptionally(ERRORS::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ERRORS.toResponse(e));
        }
    }

    // ---- GET /api/v1/users/{id}/features[?as_of_ms=] ----

    private CompletionStage<HttpResponse> features(Project project, String id, Optional<String> asOfText) {
        try {
            checkId(id, "id");
            long asOf = asOfText.map(t -> {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new ApiException(400, "INVALID_PARAMETER", "as_of_ms must be epoch milliseconds", "as_of_ms");
                }
            }).orElse(engine.nowMs());
            if (asOf < 0) {
                throw new ApiException(400, "INVALID_PARAMETER", "as_of_ms must be epoch milliseconds", "as_of_ms");
            }
            String key = project.id() + ":" + id;
            return engine.sharding().user(key)
                    .<UserEntity.Profile>ask(replyTo -> new UserEntity.GetFeatures(asOf, replyTo), ASK_TIMEOUT)
                    .thenApply(p -> switch (p.status()) {
                        case OK -> Json.response(200, p.json().getBytes(StandardCharsets.UTF_8));
                        case NOT_FOUND -> ApiErrors.error(404, "USER_NOT_FOUND", "no user '" + printable(id) + "' in project " + project.id(), "id");
                        case NOT_OWNED, STALE -> UNAVAILABLE.toResponse();
                    })
                    .exceptionally(ERRORS::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ERRORS.toResponse(e));
        }
    }

    // ---- GET /api/v1/segments/{id}/members ----

    private CompletionStage<HttpResponse> members(Project project, String segmentId, Optional<String> limitText,
                                                  Optional<String> cursorText) {
        try {
            checkId(segmentId, "segment_id");
            int limit = limitText.map(t -> intParam(t, "limit", 1, MAX_LIMIT)).orElse(DEFAULT_LIMIT);
            int partitions = engine.sharding().partitions();
            MembersCursor cursor = cursorText.map(t -> MembersCursor.decode(t, partitions)).orElse(MembersCursor.START);
            requireSegment(project, segmentId);
            List<String> collected = new ArrayList<>();
            return page(project, segmentId, cursor.partition(), cursor.afterKey(), limit, collected)
                    .thenApply(next -> {
                        ObjectNode body = JSON.createObjectNode();
                        body.put("segment_id", segmentId);
                        ArrayNode members = body.putArray("members");
                        String prefix = project.id() + ":";
                        for (String key : collected) {
                            members.add(key.substring(prefix.length()));
                        }
                        if (next == null) {
                            body.putNull("next_cursor");
                        } else {
                            body.put("next_cursor", next.encode());
                        }
                        return Json.response(200, body);
                    })
                    .exceptionally(ERRORS::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ERRORS.toResponse(e));
        }
    }

    /** Fills {@code collected} from {@code partition} on; completes with the next cursor or null at the end. */
    private CompletionStage<MembersCursor> page(Project project, String segmentId, int partition, String after,
                                                int limit, List<String> collected) {
        int want = limit - collected.size();
        return engine.sharding().index(partition)
                .<PartitionIndex.Members>ask(replyTo -> new PartitionIndex.ListMembers(project.id(), segmentId,
                        after, want, replyTo), ASK_TIMEOUT)
                .thenCompose(m -> {
                    if (!m.owned()) {
                        throw new Unavailable();
                    }
                    collected.addAll(m.keys());
                    boolean last = partition == engine.sharding().partitions() - 1;
                    if (collected.size() >= limit) {
                        if (m.hasMore()) {
                            return CompletableFuture.completedFuture(new MembersCursor(partition, collected.get(collected.size() - 1)));
                        }
                        return CompletableFuture.completedFuture(last ? null : new MembersCursor(partition + 1, ""));
                    }
                    if (last) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return page(project, segmentId, partition + 1, "", limit, collected);
                });
    }

    // ---- GET /api/v1/segments/{id}/stats ----

    private CompletionStage<HttpResponse> stats(Project project, String segmentId, Optional<String> fromText,
                                                Optional<String> toText) {
        try {
            checkId(segmentId, "segment_id");
            long to = toText.map(t -> instantParam(t, "to")).orElse(engine.nowMs());
            long from = fromText.map(t -> instantParam(t, "from")).orElse(to - DEFAULT_STATS_SPAN.toMillis());
            if (from >= to) {
                throw ApiException.badRequest("INVALID_PARAMETER", "from must be before to", "from");
            }
            if (to - from > MAX_STATS_SPAN.toMillis()) {
                throw ApiException.badRequest("INVALID_PARAMETER", "from..to may span at most " + MAX_STATS_SPAN.toDays() + " days", "from");
            }
            requireSegment(project, segmentId);
            List<CompletableFuture<PartitionIndex.Stats>> asks = new ArrayList<>();
            for (int p = 0; p < engine.sharding().partitions(); p++) {
                asks.add(engine.sharding().index(p).<PartitionIndex.Stats>ask(
                        replyTo -> new PartitionIndex.SegmentStats(project.id(), segmentId, to, replyTo), ASK_TIMEOUT).toCompletableFuture());
            }
            return CompletableFuture.allOf(asks.toArray(new CompletableFuture[0])).thenApply(done -> {
                long size = 0;
                List<TreeMap<Long, Long>> histories = new ArrayList<>();
                for (CompletableFuture<PartitionIndex.Stats> f : asks) {
                    PartitionIndex.Stats s = f.join();
                    if (!s.owned()) {
                        throw new Unavailable();
                    }
                    size += s.size();
                    histories.add(new TreeMap<>(s.history()));
                }
                ObjectNode body = JSON.createObjectNode();
                body.put("segment_id", segmentId);
                body.put("size", size);
                body.put("from", Instant.ofEpochMilli(from).toString());
                body.put("to", Instant.ofEpochMilli(to).toString());
                ArrayNode hourly = body.putArray("hourly");
                for (long hour = Math.floorDiv(from, HOUR_MS) * HOUR_MS; hour <= to; hour += HOUR_MS) {
                    long sum = 0;
                    for (TreeMap<Long, Long> h : histories) {
                        Map.Entry<Long, Long> e = h.floorEntry(hour); // sizes carry forward until the next change
                        sum += e == null ? 0 : e.getValue();
                    }
                    hourly.addObject().put("hour", Instant.ofEpochMilli(hour).toString()).put("size", sum);
                }
                return Json.response(200, body);
            }).exceptionally(ERRORS::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ERRORS.toResponse(e));
        }
    }

    // ---- helpers ----

    private void requireSegment(Project project, String segmentId) {
        boolean known = segments.forProject(project.id()).stream().anyMatch(d -> d.id().equals(segmentId));
        if (!known) {
            throw new ApiException(404, "SEGMENT_NOT_FOUND", "no segment '" + printable(segmentId) + "' in project " + project.id(), "segment_id");
        }
    }

    private static void checkId(String id, String field) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("INVALID_PARAMETER", field + " must be 1.." + MAX_ID_LENGTH + " printable characters", field);
        }
    }

    private static int intParam(String text, String field, int min, int max) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("INVALID_PARAMETER", field + " must be an integer in " + min + ".." + max, field);
    }

    /** An ISO-8601 instant ({@code 2026-01-02T03:04:05Z}) or epoch milliseconds. */
    private static long instantParam(String text, String field) {
        String t = text.trim();
        try {
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() <= 15) {
                return Long.parseLong(t);
            }
            return Instant.parse(t).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.badRequest("INVALID_PARAMETER", field + " must be an ISO-8601 instant or epoch milliseconds", field);
        }
    }

    private static String printable(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** A partition did not answer from an open store. */
    private static final class Unavailable extends RuntimeException {
        Unavailable() {
            super("partition unavailable", null, false, false);
        }
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }
}
