package io.beacon.analytics.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.Analytics;
import io.beacon.control.api.http.ApiException;
import io.beacon.analytics.api.internal.ErrorResponses;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.control.project.Project;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /api/v1/insights/{trends|funnels|retention}} with a JSON query body
 * ({@code docs/analysis-semantics.md}), authenticated with the project's secret key
 * ({@code Authorization: Bearer <secret key>}). The path names the analysis; a body's {@code analysis}
 * field, when present, must agree. Answers 200 with the result (always including {@code queries}: each
 * statement's SQL, milliseconds and rows, and {@code millis}), or an error mapped by {@link ErrorResponses}.
 * Analyses run on the module's executor, never on the HTTP dispatcher.
 */
public final class AnalyticsRoutes extends AllDirectives {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final int MAX_BODY = 256 * 1024;

    private final Analytics analytics;

    public AnalyticsRoutes(Analytics analytics) {
        this.analytics = analytics;
    }

    public Route routes() {
        return concat(pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("insights", () ->
                path(segment(), analysis -> post(() ->
                        optionalHeaderValueByName("Authorization", auth ->
                                entity(Unmarshaller.entityToByteArray(), body ->
                                        completeWithFuture(handle(analysis, auth, body))))))))),
                timelineRoute());
    }

    /** {@code GET /api/v1/persons/{id}/timeline?from=&to=&limit=&cursor=} (id URL-encoded). */
    private Route timelineRoute() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("persons", () ->
                path(segment().slash("timeline"), id -> get(() ->
                        optionalHeaderValueByName("Authorization", auth ->
                                parameterMap(params -> completeWithFuture(timeline(id, auth, params)))))))));
    }

    private CompletionStage<HttpResponse> timeline(String id, Optional<String> auth, java.util.Map<String, String> params) {
        try {
            Project project = project(auth);
            return CompletableFuture.supplyAsync(() -> ok(analytics.timeline(project, id, params)), analytics.executor())
                    .exceptionally(ErrorResponses::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.toResponse(e));
        }
    }

    private CompletionStage<HttpResponse> handle(String analysis, Optional<String> auth, byte[] body) {
        try {
            Project project = project(auth);
            ObjectNode query = parse(body);
            if (!query.has("analysis")) {
                query.put("analysis", analysis);
            } else if (!query.get("analysis").isTextual() || !query.get("analysis").asText().equals(analysis)) {
                throw new InvalidQueryException("analysis", "does not match the path /insights/" + printable(analysis));
            }
            String keyId = io.beacon.analytics.api.internal.Callers.keyId(auth);
            return CompletableFuture.supplyAsync(() -> answer(analytics.answer(project, keyId, query)), analytics.executor())
                    .exceptionally(ErrorResponses::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.toResponse(e));
        }
    }

    private static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s.replaceAll("\\p{Cntrl}", "?");
    }

    private Project project(Optional<String> auth) {
        Optional<String> token = auth.map(String::trim)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
        if (token.isEmpty()) {
            throw new ApiException(401, "UNAUTHORIZED", "missing 'Authorization: Bearer <secret key>'", null);
        }
        return analytics.projects().bySecretKey(token.get())
                .orElseThrow(() -> new ApiException(401, "UNAUTHORIZED", "the secret key is not valid", null));
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length > MAX_BODY) {
            throw new ApiException(413, "BODY_TOO_LARGE", "the query is larger than " + MAX_BODY + " bytes", null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "MALFORMED_JSON", "the body is not valid JSON", "body");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "INVALID_QUERY", "the body must be a JSON object", "body");
        }
        return (ObjectNode) node;
    }

    /** The result with {@code "cache": "hit" | "miss"} added, and the same in the {@code X-Beacon-Cache} header. */
    private static HttpResponse answer(Analytics.Answer a) {
        ObjectNode body = a.result().deepCopy();
        body.put("cache", a.cacheHit() ? "hit" : "miss");
        return ok(body).addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("X-Beacon-Cache", a.cacheHit() ? "hit" : "miss"));
    }

    private static HttpResponse ok(Object result) {
        try {
            return HttpResponse.create().withStatus(200)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(result)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write result", e);
        }
    }

    /** The mapper results are written with (snake_case), for tests and tools. */
    public static ObjectMapper json() {
        return JSON;
    }
}
