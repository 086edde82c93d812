package io.beacon.control.destinations;

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
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.httpkit.Versions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The destination definitions API, mounted at {@code /api/v1/destinations} by {@code ControlPlaneRoutes};
 * authenticated with the project's secret key and scoped to its project, like the segments API.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code POST /api/v1/destinations}</td><td>the definition → 201 the stored destination with its
 *       secrets in full (an id {@code dst_…} and a secret are generated when none is given; 409 {@code ALREADY_EXISTS})</td></tr>
 *   <tr><td>{@code GET /api/v1/destinations}</td><td>{@code {"destinations":[…]}} ordered by id, secrets masked</td></tr>
 *   <tr><td>{@code GET /api/v1/destinations/{id}}</td><td>the destination, secrets masked; 404 when none</td></tr>
 *   <tr><td>{@code PUT /api/v1/destinations/{id}}</td><td>the full definition plus the expected {@code version}
 *       (body or {@code If-Match}; 0 creates) → 200 the new version with its secrets in full (201 for a create);
 *       absent {@code secrets} keep the current ones, masked ones stand for the current secret they mask</td></tr>
 *   <tr><td>{@code DELETE /api/v1/destinations/{id}?version=}</td><td>(or {@code If-Match}) → 204</td></tr>
 *   <tr><td>{@code GET /api/v1/destinations/{id}/secret}</td><td>{@code {"secrets":[…]}} in full</td></tr>
 * </table>
 *
 * <p>Invalid definitions answer 400 {@code INVALID_DEFINITION} with the JSON path in {@code field} and write
 * nothing. Only {@code /destinations}, {@code /destinations/{id}} and {@code /destinations/{id}/secret} are
 * matched here: deeper paths ({@code /stats}, {@code /attempts}, {@code /test}) belong to the connectors' routes.
 */
public final class DestinationRoutes extends AllDirectives {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecretKeyAuth<Project> secretKeys;
    private final DestinationService destinations;

    public DestinationRoutes(ProjectDirectory projects, DestinationService destinations) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.destinations = destinations;
    }

    /** The routes below the mount point ({@code /api/v1/destinations}). */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> request((p, r) -> list(p))),
                        post(() -> request((p, r) -> create(p, r.body()))))),
                path(segment(), id -> concat(
                        get(() -> request((p, r) -> read(p, id))),
                        put(() -> request((p, r) -> replace(p, id, r.ifMatch(), r.body()))),
                        delete(() -> parameterOptional("version", query ->
                                request((p, r) -> remove(p, id, r.ifMatch().or(() -> query))))))),
                path(segment().slash("secret"), id -> get(() -> request((p, r) -> secrets(p, id)))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, handler);
    }

    // ---- handlers ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("destinations");
        destinations.list(p.id()).forEach(d -> items.add(DestinationJson.toApiJson(d, false)));
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> read(Project p, String id) {
        DestinationDefinition d = destinations.get(p.id(), id).orElseThrow(() -> notFound(id));
        return CompletableFuture.completedFuture(Json.response(200, DestinationJson.toApiJson(d, false)));
    }

    private CompletionStage<HttpResponse> secrets(Project p, String id) {
        DestinationDefinition d = destinations.get(p.id(), id).orElseThrow(() -> notFound(id));
        return CompletableFuture.completedFuture(Json.response(200, DestinationJson.secretsJson(d)));
    }

    private CompletionStage<HttpResponse> create(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        JsonNode given = body.get("id");
        String id = given == null || given.isNull() ? newId() : null;
        DestinationDefinition def = DestinationJson.parseBody(body, p.id(), id);
        return destinations.put(def, 0).thenApply(d -> Json.response(201, DestinationJson.toApiJson(d, true)));
    }

    private CompletionStage<HttpResponse> replace(Project p, String id, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        Optional<DestinationDefinition> current = destinations.get(p.id(), id);
        if (version > 0 && current.isEmpty()) {
            throw notFound(id);
        }
        List<String> currentSecrets = current.map(DestinationDefinition::secrets).orElse(List.of());
        DestinationDefinition def = DestinationJson.parseBody(body, p.id(), id, currentSecrets, DestinationJson::newSecret);
        return destinations.put(def, version).thenApply(d -> Json.response(version == 0 ? 201 : 200, DestinationJson.toApiJson(d, true)));
    }

    private CompletionStage<HttpResponse> remove(Project p, String id, Optional<String> versionText) {
        if (destinations.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        if (version < 1) {
            throw ApiException.badRequest("INVALID_VERSION", "version must be at least 1 for a delete", "version");
        }
        return destinations.delete(p.id(), id, version).thenApply(x -> HttpResponse.create().withStatus(204));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String newId() {
        StringBuilder sb = new StringBuilder("dst_");
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no destination '" + id + "'");
    }
}
