package io.beacon.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.api.internal.AnalyticsErrors;
import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.control.project.Project;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.BodyLimit;
import io.beacon.httpkit.Credentials;
import io.beacon.httpkit.Json;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/sql {"sql": "SELECT …"}}: read-only SQL over the caller's project
 * ({@link io.beacon.analytics.sql.SqlGuard}, {@link io.beacon.analytics.sql.SqlConsole}). Refused SQL answers 400
 * with a {@code SQL_…} code and field {@code sql}.
 */
public final class SqlRoutes extends AllDirectives {
    private static final int MAX_BODY = 64 * 1024;
    private final RouteContext api;

    SqlRoutes(RouteContext api) {
        this.api = api;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> path("sql", () -> post(() ->
                ApiRoutes.request(AnalyticsErrors.ERRORS, api.keys(), this::handle)))));
    }

    private CompletionStage<HttpResponse> handle(Project project, ApiRoutes.Request request) {
        ObjectNode o = Json.parseObject(BodyLimit.requireAtMost(request.body(), MAX_BODY, "body", "body"));
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("sql")) {
                throw ApiException.badRequest("INVALID_REQUEST", "unknown field (allowed: sql)", f.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        JsonNode sql = o.get("sql");
        if (sql == null || !sql.isTextual()) {
            throw ApiException.badRequest("INVALID_REQUEST", "sql (a string) is required", "sql");
        }
        String keyId = Credentials.keyId(request.bearer());
        return CompletableFuture.supplyAsync(() -> Json.response(200, api.analytics().sql(project, keyId, sql.asText())), api.analytics().executor());
    }
}
