package io.beacon.control.segments;

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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The segment definitions API, mounted at {@code /api/v1/segments} by {@code ControlPlaneRoutes};
 * authenticated with the project's secret key and scoped to its project.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code POST /api/v1/segments}</td><td>{@code {"id"?,"name","description"?,"rule"}} → 201 the
 *       stored segment (an id {@code seg_…} is generated when none is given; 409 {@code ALREADY_EXISTS} for a taken id)</td></tr>
 *   <tr><td>{@code GET /api/v1/segments}</td><td>{@code {"segments":[…]}} ordered by id</td></tr>
 *   <tr><td>{@code GET /api/v1/segments/{id}}</td><td>the segment, 404 when none</td></tr>
 *   <tr><td>{@code PUT /api/v1/segments/{id}}</td><td>the full definition plus the expected {@code version}
 *       (body or {@code If-Match}; 0 creates) → 200 the new version (201 for a create)</td></tr>
 *   <tr><td>{@code DELETE /api/v1/segments/{id}?version=}</td><td>(or {@code If-Match}) → 204; a tombstone on
 *       {@code beacon.config}: the engine then drops every membership with an exit change</td></tr>
 * </table>
 *
 * <p>Answers are {@code {"id","project_id","name","description"?,"rule","updated_at","version"}}. Invalid
 * rules answer 400 {@code INVALID_DEFINITION} with the JSON path in {@code field} (e.g.
 * {@code rule.and[1].event_count.window}). Only {@code /segments} and {@code /segments/{id}} are matched
 * here: deeper paths ({@code /segments/{id}/members}, {@code /stats}) are left to the engine's routes.
 */
public final class SegmentRoutes extends AllDirectives {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecretKeyAuth<Project> secretKeys;
    private final SegmentService segments;

    public SegmentRoutes(ProjectDirectory projects, SegmentService segments) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.segments = segments;
    }

    /** The routes below the mount point ({@code /api/v1/segments}). */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> request((p, r) -> list(p))),
                        post(() -> request((p, r) -> create(p, r.body()))))),
                path(segment(), id -> concat(
                        get(() -> request((p, r) -> read(p, id))),
                        put(() -> request((p, r) -> replace(p, id, r.ifMatch(), r.body()))),
                        delete(() -> parameterOptional("version", query ->
                                request((p, r) -> remove(p, id, r.ifMatch().or(() -> query))))))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, handler);
    }

    // ---- handlers ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("segments");
        segments.list(p.id()).forEach(d -> items.add(SegmentJson.toApiJson(d)));
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> read(Project p, String id) {
        SegmentDefinition d = segments.get(p.id(), id).orElseThrow(() -> notFound(id));
        return CompletableFuture.completedFuture(Json.response(200, SegmentJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> create(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        JsonNode given = body.get("id");
        String id = given == null || given.isNull() ? newId() : null;
        SegmentDefinition def = SegmentJson.parseBody(body, p.id(), id);
        return segments.put(def, 0).thenApply(d -> Json.response(201, SegmentJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> replace(Project p, String id, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        SegmentDefinition def = SegmentJson.parseBody(body, p.id(), id);
        if (version > 0 && segments.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        return segments.put(def, version).thenApply(d -> Json.response(version == 0 ? 201 : 200, SegmentJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> remove(Project p, String id, Optional<String> versionText) {
        if (segments.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        if (version < 1) {
            throw ApiException.badRequest("INVALID_VERSION", "version must be at least 1 for a delete", "version");
        }
        return segments.delete(p.id(), id, version).thenApply(x -> HttpResponse.create().withStatus(204));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String newId() {
        StringBuilder sb = new StringBuilder("seg_");
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no segment '" + id + "'");
    }
}
