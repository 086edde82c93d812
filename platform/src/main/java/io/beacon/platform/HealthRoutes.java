package io.beacon.platform;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health/live} (the process answers) and {@code GET /health/ready} (see {@link Readiness}). */
final class HealthRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Readiness readiness;

    HealthRoutes(Readiness readiness) {
        this.readiness = readiness;
    }

    Route route() {
        return pathPrefix("health", () -> concat(
                path("live", () -> get(() -> json(200, JSON.createObjectNode().put("status", "live")))),
                path("ready", () -> get(() -> completeWithFuture(CompletableFuture.supplyAsync(this::ready))))));
    }

    private HttpResponse ready() {
        Map<String, String> checks = readiness.check();
        boolean ok = Readiness.allOk(checks);
        ObjectNode body = JSON.createObjectNode().put("status", ok ? "ready" : "not_ready");
        ObjectNode c = body.putObject("checks");
        checks.forEach(c::put);
        return response(ok ? 200 : 503, body);
    }

    /** The last route: a JSON 404 for any path no role claimed. */
    static Route notFound() {
        return extractUnmatchedPath(p -> {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("error").put("code", "NOT_FOUND").put("message", "no route for " + p);
            return json(404, body);
        });
    }

    private static Route json(int status, ObjectNode body) {
        return complete(response(status, body));
    }

    private static HttpResponse response(int status, ObjectNode body) {
        return HttpResponse.create().withStatus(StatusCodes.get(status))
                .withEntity(ContentTypes.APPLICATION_JSON, body.toString());
    }
}
