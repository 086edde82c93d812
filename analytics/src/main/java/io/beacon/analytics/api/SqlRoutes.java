package io.beacon.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.Analytics;
import io.beacon.analytics.api.internal.Callers;
import io.beacon.analytics.api.internal.ErrorResponses;
import io.beacon.control.api.http.ApiException;
import io.beacon.control.api.http.Json;
import io.beacon.control.project.Project;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /api/v1/sql {"sql": "SELECT …"}}: read-only SQL over the caller's project
 * ({@link io.beacon.analytics.sql.SqlGuard}, {@link io.beacon.analytics.sql.SqlConsole}). Refused SQL answers 400
 * with a {@code SQL_…} code and field {@code sql}.
 */
public final class SqlRoutes extends AllDirectives {
    private static final int MAX_BODY = 64 * 1024;
    private final Analytics analytics;

    public SqlRoutes(Analytics analytics) {
        this.analytics = analytics;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> path("sql", () -> post(() ->
                optionalHeaderValueByName("Authorization", auth ->
                        entity(Unmarshaller.entityToByteArray(), body -> completeWithFuture(handle(auth, body))))))));
    }

    private CompletionStage<HttpResponse> handle(Optional<String> auth, byte[] body) {
        try {
            Project project = Callers.project(analytics.projects(), auth);
            if (body.length > MAX_BODY) {
                throw new ApiException(413, "BODY_TOO_LARGE", "the body is larger than " + MAX_BODY + " bytes", "body");
            }
            ObjectNode o = Json.parseObject(body);
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("sql")) {
                    throw new ApiException(400, "INVALID_REQUEST", "unknown field (allowed: sql)", f.replaceAll("\\p{Cntrl}", "?"));
                }
            }
            JsonNode sql = o.get("sql");
            if (sql == null || !sql.isTextual()) {
                throw new ApiException(400, "INVALID_REQUEST", "sql (a string) is required", "sql");
            }
            String keyId = Callers.keyId(auth);
            return CompletableFuture.supplyAsync(() -> Json.response(200, analytics.sql(project, keyId, sql.asText())), analytics.executor())
                    .exceptionally(ErrorResponses::toResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.toResponse(e));
        }
    }
}
