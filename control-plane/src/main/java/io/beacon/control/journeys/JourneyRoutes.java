package io.beacon.control.journeys;

import static org.apache.pekko.http.javadsl.server.PathMatchers.integerSegment;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.httpkit.Versions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The journeys API, mounted at {@code /api/v1/journeys} by {@code ControlPlaneRoutes}; authenticated with the
 * project's secret key and scoped to its project, like the segments API (docs/journeys.md).
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /api/v1/journeys}</td><td>{@code {"journeys":[…]}} ordered by id</td></tr>
 *   <tr><td>{@code POST /api/v1/journeys}</td><td>the definition (status {@code draft} by default, or {@code live})
 *       → 201 the stored journey (an id {@code jny_…} is generated when none is given)</td></tr>
 *   <tr><td>{@code POST /api/v1/journeys/validate}</td><td>a definition → 200 {@code {"valid":true}}, or 400 with
 *       every problem in {@code error.errors}; writes nothing</td></tr>
 *   <tr><td>{@code GET|PUT /api/v1/journeys/caps}</td><td>the project's frequency caps per channel and local day</td></tr>
 *   <tr><td>{@code GET /api/v1/journeys/{id}}</td><td>the journey; 404 when none</td></tr>
 *   <tr><td>{@code PUT /api/v1/journeys/{id}}</td><td>the full definition plus the expected {@code version} (body or
 *       {@code If-Match}; 0 creates) and optionally {@code step_mapping} {@code {"old step":"new step"}} → 200;
 *       editing the graph of a live journey publishes the next {@code journey_version}</td></tr>
 *   <tr><td>{@code POST /api/v1/journeys/{id}/status}</td><td>{@code {"status":"live|paused|archived","version"}} → 200</td></tr>
 *   <tr><td>{@code GET /api/v1/journeys/{id}/versions[/{n}]}</td><td>the published versions (with their step mappings)</td></tr>
 *   <tr><td>{@code DELETE /api/v1/journeys/{id}?version=}</td><td>a draft or archived journey → 204</td></tr>
 * </table>
 *
 * <p>Invalid definitions answer 400 {@code INVALID_DEFINITION} with the first problem's JSON path in {@code field}
 * (e.g. {@code steps.wait.timeout_next}: the step is named) and all of them in {@code errors}; nothing is written.
 */
public final class JourneyRoutes extends AllDirectives {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecretKeyAuth<Project> secretKeys;
    private final JourneyService journeys;

    public JourneyRoutes(ProjectDirectory projects, JourneyService journeys) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.journeys = journeys;
    }

    /** The routes below the mount point ({@code /api/v1/journeys}). */
    public Route routes() {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> request((p, r) -> list(p))),
                        post(() -> request((p, r) -> create(p, r.body()))))),
                path("validate", () -> post(() -> request((p, r) -> validate(p, r.body())))),
                path("caps", () -> concat(
                        get(() -> request((p, r) -> caps(p))),
                        put(() -> request((p, r) -> putCaps(p, r.body()))))),
                path(segment(), id -> concat(
                        get(() -> request((p, r) -> read(p, id))),
                        put(() -> request((p, r) -> replace(p, id, r.ifMatch(), r.body()))),
                        delete(() -> parameterOptional("version", query ->
                                request((p, r) -> remove(p, id, r.ifMatch().or(() -> query))))))),
                path(segment().slash("status"), id -> post(() -> request((p, r) -> status(p, id, r.ifMatch(), r.body())))),
                path(segment().slash("versions"), id -> get(() -> request((p, r) -> versions(p, id)))),
                path(segment().slash("versions").slash(integerSegment()), (id, n) -> get(() -> request((p, r) -> version(p, id, n)))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, handler);
    }

    // ---- handlers ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("journeys");
        journeys.list(p.id()).forEach(d -> items.add(JourneyJson.toApiJson(d)));
        return done(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> read(Project p, String id) {
        return done(Json.response(200, JourneyJson.toApiJson(journeys.get(p.id(), id).orElseThrow(() -> notFound(id)))));
    }

    private CompletionStage<HttpResponse> create(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        JsonNode given = body.get("id");
        String id = given == null || given.isNull() ? newId() : null;
        JourneyDefinition def = JourneyJson.parse(p.id(), id, body, journeys.context(p.id()));
        return journeys.put(def, 0, Map.of()).thenApply(d -> Json.response(201, JourneyJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> validate(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        JsonNode given = body.get("id");
        JourneyJson.parse(p.id(), given == null || given.isNull() ? "draft" : null, body, journeys.context(p.id()));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("valid", true);
        return done(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> replace(Project p, String id, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        Map<String, String> mapping = mapping(body.remove("step_mapping"));
        if (version > 0 && journeys.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        JourneyDefinition def = JourneyJson.parse(p.id(), id, body, journeys.context(p.id()));
        return journeys.put(def, version, mapping).thenApply(d -> Json.response(version == 0 ? 201 : 200, JourneyJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> status(Project p, String id, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        JsonNode s = body.get("status");
        if (s == null || !s.isTextual()) {
            throw InvalidDocumentException.of("status", "must be one of draft, live, paused, archived");
        }
        JourneyStatus status = JourneyStatus.fromWire(s.asText())
                .orElseThrow(() -> InvalidDocumentException.of("status", "must be one of draft, live, paused, archived"));
        if (journeys.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        return journeys.setStatus(p.id(), id, status, version).thenApply(d -> Json.response(200, JourneyJson.toApiJson(d)));
    }

    private CompletionStage<HttpResponse> versions(Project p, String id) {
        if (journeys.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("versions");
        journeys.versions(p.id(), id).forEach(v -> items.add(versionJson(v)));
        return done(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> version(Project p, String id, int n) {
        JourneyService.PublishedVersion v = journeys.version(p.id(), id, n)
                .orElseThrow(() -> ApiException.notFound("journey '" + id + "' has no published version " + n));
        return done(Json.response(200, versionJson(v)));
    }

    private CompletionStage<HttpResponse> caps(Project p) {
        return done(Json.response(200, FrequencyCaps.toDocument(journeys.caps(p.id()))));
    }

    private CompletionStage<HttpResponse> putCaps(Project p, byte[] bytes) {
        FrequencyCaps caps = FrequencyCaps.parse(p.id(), Json.parseObject(bytes));
        return journeys.putCaps(caps).thenApply(c -> Json.response(200, FrequencyCaps.toDocument(c)));
    }

    private CompletionStage<HttpResponse> remove(Project p, String id, Optional<String> versionText) {
        if (journeys.get(p.id(), id).isEmpty()) {
            throw notFound(id);
        }
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        if (version < 1) {
            throw ApiException.badRequest("INVALID_VERSION", "version must be at least 1 for a delete", "version");
        }
        return journeys.delete(p.id(), id, version).thenApply(x -> HttpResponse.create().withStatus(204));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static ObjectNode versionJson(JourneyService.PublishedVersion v) {
        ObjectNode o = JourneyJson.toApiJson(v.definition());
        o.remove("version");
        if (!v.mapping().isEmpty()) {
            ObjectNode m = o.putObject("step_mapping");
            m.put("from_version", v.fromVersion());
            ObjectNode steps = m.putObject("steps");
            v.mapping().forEach(steps::put);
        }
        return o;
    }

    /** {@code step_mapping}: absent, or an object of step id → step id. */
    static Map<String, String> mapping(JsonNode m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m == null || m.isNull()) {
            return out;
        }
        if (!m.isObject()) {
            throw InvalidDocumentException.of("step_mapping", "must be an object of old step id to new step id");
        }
        m.fields().forEachRemaining(f -> {
            if (!f.getValue().isTextual()) {
                throw InvalidDocumentException.of("step_mapping." + f.getKey(), "must be a step id (a string)");
            }
            out.put(f.getKey(), f.getValue().asText());
        });
        return out;
    }

    private static CompletionStage<HttpResponse> done(HttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static String newId() {
        StringBuilder sb = new StringBuilder("jny_");
        for (int i = 0; i < 16; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no journey '" + id + "'");
    }
}
