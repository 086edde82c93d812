package io.beacon.analytics.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.api.internal.AnalyticsErrors;
import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.analytics.query.ResultJson;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.control.project.Project;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.BodyLimit;
import io.beacon.httpkit.Credentials;
import io.beacon.httpkit.Json;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/insights/{trends|funnels|retention}} with a JSON query body
 * ({@code docs/analysis-semantics.md}), authenticated with the project's secret key
 * ({@code Authorization: Bearer <secret key>}). The path names the analysis; a body's {@code analysis}
 * field, when present, must agree. Answers 200 with the result (always including {@code queries}: each
 * statement's SQL, milliseconds and rows, and {@code millis}), or an error mapped by {@link AnalyticsErrors}.
 * Analyses run on the module's executor, never on the HTTP dispatcher.
 */
public final class AnalyticsRoutes extends AllDirectives {
    private static final int MAX_BODY = 256 * 1024;

    private final RouteContext api;

    AnalyticsRoutes(RouteContext api) {
        this.api = api;
    }

    public Route routes() {
        return concat(pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("insights", () ->
                path(segment(), analysis -> post(() -> ApiRoutes.request(AnalyticsErrors.ERRORS, r -> insight(analysis, r))))))),
                timelineRoute());
    }

    /** {@code GET /api/v1/persons/{id}/timeline?from=&to=&limit=&cursor=} (id URL-encoded). */
    private Route timelineRoute() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("persons", () ->
                path(segment().slash("timeline"), id -> get(() ->
                        optionalHeaderValueByName("Authorization", auth ->
                                parameterMap(params -> completeWithFuture(timeline(id, auth, params)))))))));
    }

    private CompletionStage<HttpResponse> timeline(String id, Optional<String> auth, Map<String, String> params) {
        return AnalyticsErrors.ERRORS.guard(() -> {
            Project project = api.keys().authenticate(auth);
            return CompletableFuture.supplyAsync(() -> ok(api.analytics().timeline(project, id, params)), api.analytics().executor());
        });
    }

    private CompletionStage<HttpResponse> insight(String analysis, ApiRoutes.Request request) {
        Project project = api.keys().authenticate(request.authorization());
        ObjectNode query = parse(request.body());
        if (!query.has("analysis")) {
            query.put("analysis", analysis);
        } else if (!query.get("analysis").isTextual() || !query.get("analysis").asText().equals(analysis)) {
            throw new InvalidQueryException("analysis", "does not match the path /insights/" + printable(analysis));
        }
        String keyId = Credentials.keyId(request.bearer());
        return CompletableFuture.supplyAsync(() -> answer(api.analytics().answer(project, keyId, query)), api.analytics().executor());
    }

    private static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s.replaceAll("\\p{Cntrl}", "?");
    }

    private static ObjectNode parse(byte[] body) {
        BodyLimit.requireAtMost(body, MAX_BODY, "query", null);
        JsonNode node = Json.tree(body).orElseThrow(() -> ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON", "body"));
        if (!node.isObject()) {
            throw ApiException.badRequest("INVALID_QUERY", "the body must be a JSON object", "body");
        }
        return (ObjectNode) node;
    }

    /** The result with {@code "cache": "hit" | "miss"} added, and the same in the {@code X-Beacon-Cache} header. */
    private static HttpResponse answer(Analytics.Answer a) {
        ObjectNode body = a.result().deepCopy();
        body.put("cache", a.cacheHit() ? "hit" : "miss");
        return ok(body).addHeader(RawHeader.create("X-Beacon-Cache", a.cacheHit() ? "hit" : "miss"));
    }

    private static HttpResponse ok(Object result) {
        try {
            return Json.response(200, ResultJson.mapper().writeValueAsBytes(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write result", e);
        }
    }
}
