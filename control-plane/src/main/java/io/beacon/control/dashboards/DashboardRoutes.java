package io.beacon.control.dashboards;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.BodyLimit;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.httpkit.Versions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The saved insights and dashboards API (docs/dashboards.md), authenticated with the project's secret key and scoped
 * to its project. The same five endpoints for both kinds of document:
 *
 * <table>
 *   <caption>Endpoints ({@code {kind}} = {@code saved-insights} or {@code dashboards})</caption>
 *   <tr><td>{@code POST /api/v1/{kind}}</td><td>the document → 201 (an id {@code ins_…} / {@code dash_…} is made when
 *       none is given; 409 {@code ALREADY_EXISTS} for a taken id)</td></tr>
 *   <tr><td>{@code GET /api/v1/{kind}}</td><td>{@code {"saved_insights":[…]}} / {@code {"dashboards":[…]}} ordered by id</td></tr>
 *   <tr><td>{@code GET /api/v1/{kind}/{id}}</td><td>the document, 404 when none</td></tr>
 *   <tr><td>{@code PUT /api/v1/{kind}/{id}}</td><td>the full document plus the expected {@code version} (body or
 *       {@code If-Match}; 0 creates) → 200 (201 for a create); 409 {@code VERSION_CONFLICT} with {@code current_version}</td></tr>
 *   <tr><td>{@code DELETE /api/v1/{kind}/{id}?version=}</td><td>(or {@code If-Match}) → 204</td></tr>
 * </table>
 *
 * <p>Bodies are at most {@value #MAX_BODY} bytes (413 {@code BODY_TOO_LARGE}); not JSON → 400 {@code MALFORMED_JSON};
 * invalid documents → 400 {@code INVALID_DEFINITION} and invalid saved queries → 400 {@code INVALID_QUERY}, both with
 * the JSON path in {@code field}. The insights API owns {@code /api/v1/insights/{analysis}}: these paths are apart.
 */
public final class DashboardRoutes extends AllDirectives {
    public static final int MAX_BODY = 128 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecretKeyAuth<Project> secretKeys;
    private final Resource<SavedInsight> insights;
    private final Resource<Dashboard> dashboards;

    public DashboardRoutes(ProjectDirectory projects, DashboardService service) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.insights = new Resource<>("saved insight", "saved_insights", "ins_", service::insights, service::insight,
                DashboardJson::parseInsight, service::put, service::deleteInsight, DashboardJson::toApiJson);
        this.dashboards = new Resource<>("dashboard", "dashboards", "dash_", service::dashboards, service::dashboard,
                DashboardJson::parseDashboard, service::put, service::deleteDashboard, DashboardJson::toApiJson);
    }

    /** {@code /api/v1/saved-insights[/{id}]} and {@code /api/v1/dashboards[/{id}]}, for the node's route concatenation. */
    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                pathPrefix("saved-insights", () -> routes(insights)),
                pathPrefix("dashboards", () -> routes(dashboards)))));
    }

    private <T> Route routes(Resource<T> kind) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> request((p, r) -> list(kind, p))),
                        post(() -> request((p, r) -> create(kind, p, r.body()))))),
                path(segment(), id -> concat(
                        get(() -> request((p, r) -> read(kind, p, id))),
                        put(() -> request((p, r) -> replace(kind, p, id, r.ifMatch(), r.body()))),
                        delete(() -> parameterOptional("version", query ->
                                request((p, r) -> remove(kind, p, id, r.ifMatch().or(() -> query))))))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, handler);
    }

    // ---- handlers ------------------------------------------------------------------------------

    private static <T> CompletionStage<HttpResponse> list(Resource<T> kind, Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray(kind.listField());
        kind.list().apply(p.id()).forEach(d -> items.add(kind.json().apply(d)));
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private static <T> CompletionStage<HttpResponse> read(Resource<T> kind, Project p, String id) {
        T d = kind.get().apply(p.id(), id).orElseThrow(() -> notFound(kind, id));
        return CompletableFuture.completedFuture(Json.response(200, kind.json().apply(d)));
    }

    private static <T> CompletionStage<HttpResponse> create(Resource<T> kind, Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(BodyLimit.requireAtMost(bytes, MAX_BODY, "body", null));
        JsonNode given = body.get("id");
        String id = given == null || given.isNull() ? newId(kind.idPrefix()) : null;
        T doc = kind.parse().parse(body, p.id(), id);
        return kind.put().put(p, doc, 0).thenApply(d -> Json.response(201, kind.json().apply(d)));
    }

    private static <T> CompletionStage<HttpResponse> replace(Resource<T> kind, Project p, String id, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(BodyLimit.requireAtMost(bytes, MAX_BODY, "body", null));
        long version = Versions.required(body, ifMatch);
        T doc = kind.parse().parse(body, p.id(), id);
        if (version > 0 && kind.get().apply(p.id(), id).isEmpty()) {
            throw notFound(kind, id);
        }
        return kind.put().put(p, doc, version).thenApply(d -> Json.response(version == 0 ? 201 : 200, kind.json().apply(d)));
    }

    private static <T> CompletionStage<HttpResponse> remove(Resource<T> kind, Project p, String id, Optional<String> versionText) {
        if (kind.get().apply(p.id(), id).isEmpty()) {
            throw notFound(kind, id);
        }
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        if (version < 1) {
            throw ApiException.badRequest("INVALID_VERSION", "version must be at least 1 for a delete", "version");
        }
        return kind.delete().delete(p.id(), id, version).thenApply(x -> HttpResponse.create().withStatus(204));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** What the handlers need of one kind of document. */
    private record Resource<T>(String noun, String listField, String idPrefix, Function<String, List<T>> list,
                               BiFunction<String, String, Optional<T>> get, Parser<T> parse, Writer<T> put, Deleter delete,
                               Function<T, ObjectNode> json) {
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(JsonNode body, String projectId, String id);
    }

    @FunctionalInterface
    private interface Writer<T> {
        CompletionStage<T> put(Project project, T doc, long expectedVersion);
    }

    @FunctionalInterface
    private interface Deleter {
        CompletionStage<Void> delete(String project, String id, long expectedVersion);
    }

    private static String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static ApiException notFound(Resource<?> kind, String id) {
        return ApiException.notFound("no " + kind.noun() + " '" + id + "'");
    }
}
