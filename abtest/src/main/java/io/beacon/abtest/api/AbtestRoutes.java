package io.beacon.abtest.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.analysis.AnalysisSettings;
import io.beacon.abtest.analysis.ExperimentAnalysis;
import io.beacon.abtest.api.internal.AbtestErrors;
import io.beacon.abtest.assignment.AssignmentService;
import io.beacon.abtest.assignment.GrowthBookPayload;
import io.beacon.abtest.experiment.Experiment;
import io.beacon.abtest.experiment.ExperimentCatalog;
import io.beacon.abtest.experiment.ExperimentNotFoundException;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.Versioned;
import io.beacon.control.http.DocumentJson;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.ConfigJson;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.httpkit.Versions;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The A/B testing HTTP API. {@code /api/v1/*} endpoints take {@code Authorization: Bearer <secret key>}
 * and act on that key's project; the GrowthBook SDK endpoint takes the project's write key in the path
 * (it is public, like GrowthBook's client key).
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET|POST /api/v1/experiments}</td><td>list / create (201; body = experiment document)</td></tr>
 *   <tr><td>{@code GET /api/v1/experiments/{key}}</td><td>the document with {@code version}</td></tr>
 *   <tr><td>{@code PUT /api/v1/experiments/{key}}</td><td>replace ({@code version} in body or If-Match; 0 creates)</td></tr>
 *   <tr><td>{@code PATCH /api/v1/experiments/{key}}</td><td>merge top-level fields, e.g. {@code {"status":"running","version":1}}</td></tr>
 *   <tr><td>{@code DELETE /api/v1/experiments/{key}?version=N}</td><td>204</td></tr>
 *   <tr><td>{@code POST /api/v1/experiments/{key}/rerandomize}</td><td>{@code {"version",
 *       "exclude_previous"?}}: new seed, next bucket version</td></tr>
 *   <tr><td>{@code GET /api/v1/experiments/{key}/results?cuped=&sequential=}</td><td>analysis</td></tr>
 *   <tr><td>{@code GET /api/v1/assignments?user_id=&device_id=&experiment=&log_exposures=&<trait>=}</td>
 *       <td>{@code {"assignments":[…]}} for one unit</td></tr>
 *   <tr><td>{@code POST /api/v1/assignments}</td><td>{@code {"users":[{"user_id","device_id","attributes",
 *       "segments"}],"forced_variations"?,"experiments"?,"log_exposures"?}} → {@code {"results":[…]}}</td></tr>
 *   <tr><td>{@code GET /api/v1/features}, {@code GET /api/features/{writeKey}}</td><td>GrowthBook SDK payload</td></tr>
 * </table>
 * A stale version answers 409, a malformed document 400 naming the field ({@link AbtestErrors}).
 *
 * <p>Targeting by segment: a unit's {@code segments} (query {@code segments=a,b}, or the batch's per-user
 * {@code segments}) is used as given; without it, when a running experiment of the request targets segments,
 * the unit's realtime memberships are looked up ({@link AssignmentService#withSegments}), and a lookup that
 * fails or times out answers 503 {@code SEGMENTS_UNAVAILABLE} naming the experiments (a batch fails as a whole).
 */
public final class AbtestRoutes extends AllDirectives {
    /** Query parameters of GET /assignments that are not unit attributes. */
    private static final Set<String> CONTROL_PARAMS = Set.of("experiment", "log_exposures", "force");
    /** The shared mapper's factory (its codec writes the odd non-text unit id as a tree). */
    private static final JsonFactory JSON_FACTORY = ConfigJson.mapper().getFactory();

    private final ProjectDirectory projects;
    private final SecretKeyAuth<Project> secretKeys;
    private final ExperimentCatalog catalog;
    private final AssignmentService assignments;
    private final ExperimentAnalysis analysis;
    private final AnalysisSettings analysisSettings;
    private final Executor blocking;
    private final LongSupplier clock;

    public AbtestRoutes(ProjectDirectory projects, ExperimentCatalog catalog, AssignmentService assignments,
                        ExperimentAnalysis analysis, AnalysisSettings analysisSettings, Executor blocking, LongSupplier clock) {
        this.projects = projects;
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.catalog = catalog;
        this.assignments = assignments;
        this.analysis = analysis;
        this.analysisSettings = analysisSettings;
        this.blocking = blocking;
        this.clock = clock;
    }

    public Route routes() {
        return pathPrefix("api", () -> concat(
                path(segment("features").slash(segment()), clientKey -> get(() -> complete(() -> sdkPayloadByClientKey(clientKey)))),
                pathPrefix("v1", () -> concat(
                        pathPrefix("experiments", this::experimentRoutes),
                        path("assignments", () -> concat(
                                get(() -> parameterMap(params -> request((p, r) -> assignOne(p, params)))),
                                post(() -> request((p, r) -> assignBatch(p, r.body()))))),
                        path("features", () -> get(() -> request((p, r) -> sdkPayload(p))))))));
    }

    private Route experimentRoutes() {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> request((p, r) -> list(p))),
                        post(() -> request((p, r) -> create(p, r.body()))))),
                pathPrefix(segment(), key -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> request((p, r) -> read(p, key))),
                                put(() -> request((p, r) -> replace(p, key, r.ifMatch(), r.body()))),
                                patch(() -> request((p, r) -> merge(p, key, r.ifMatch(), r.body()))),
                                delete(() -> parameterOptional("version", v ->
                                        request((p, r) -> remove(p, key, r.ifMatch().or(() -> v))))))),
                        path("rerandomize", () -> post(() -> request((p, r) -> rerandomize(p, key, r.ifMatch(), r.body())))),
                        path("results", () -> get(() -> parameterMap(params -> request((p, r) -> results(p, key, params))))))));
    }

    private Route request(ApiRoutes.AuthenticatedHandler<Project> handler) {
        return ApiRoutes.request(AbtestErrors.ERRORS, secretKeys, handler);
    }

    private Route complete(Supplier<CompletionStage<HttpResponse>> call) {
        return completeWithFuture(AbtestErrors.ERRORS.guard(call));
    }

    // ---- experiments ----------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("experiments");
        catalog.list(p.id()).forEach(v -> items.add(experimentJson(v)));
        return done(200, o);
    }

    private CompletionStage<HttpResponse> read(Project p, String key) {
        return done(200, experimentJson(catalog.get(p.id(), key).orElseThrow(() -> new ExperimentNotFoundException(p.id(), key))));
    }

    private CompletionStage<HttpResponse> create(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        body.remove("version");
        Experiment e = DocumentJson.bindStrict(body, Experiment.class);
        return catalog.create(p.id(), e).thenApply(v -> Json.response(201, experimentJson(v)));
    }

    private CompletionStage<HttpResponse> replace(Project p, String key, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        keyMatchesPath(body, key);
        body.remove("version");
        Experiment e = DocumentJson.bindStrict(body, Experiment.class);
        if (version == 0) {
            return catalog.create(p.id(), e).thenApply(v -> Json.response(201, experimentJson(v)));
        }
        return catalog.update(p.id(), key, version, e).thenApply(v -> Json.response(200, experimentJson(v)));
    }

    private CompletionStage<HttpResponse> merge(Project p, String key, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        keyMatchesPath(body, key);
        body.remove("version");
        Versioned<Experiment> current = catalog.get(p.id(), key).orElseThrow(() -> new ExperimentNotFoundException(p.id(), key));
        ObjectNode doc = ConfigJson.toDocument(current.value());
        Iterator<Map.Entry<String, JsonNode>> it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            doc.set(f.getKey(), f.getValue());
        }
        Experiment e = DocumentJson.bindStrict(doc, Experiment.class);
        return catalog.update(p.id(), key, version, e).thenApply(v -> Json.response(200, experimentJson(v)));
    }

    private CompletionStage<HttpResponse> remove(Project p, String key, Optional<String> versionText) {
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        return catalog.delete(p.id(), key, version).thenApply(x -> HttpResponse.create().withStatus(204));
    }

    private CompletionStage<HttpResponse> rerandomize(Project p, String key, Optional<String> ifMatch, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        boolean exclude = body.path("exclude_previous").asBoolean(false);
        return catalog.rerandomize(p.id(), key, version, exclude).thenApply(v -> Json.response(200, experimentJson(v)));
    }

    private CompletionStage<HttpResponse> results(Project p, String key, Map<String, String> params) {
        Experiment e = catalog.get(p.id(), key).orElseThrow(() -> new ExperimentNotFoundException(p.id(), key)).value();
        AnalysisSettings s = analysisSettings;
        if (params.containsKey("cuped")) {
            s = s.withCuped(bool(params.get("cuped"), "cuped"));
        }
        if (params.containsKey("sequential")) {
            s = s.withSequential(bool(params.get("sequential"), "sequential"));
        }
        AnalysisSettings settings = s;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return analysis.analyze(p.id(), e, settings);
            } catch (RuntimeException ex) {
                throw new AbtestErrors.WarehouseFailure(ex);
            }
        }, blocking).thenApply(r -> Json.response(200, ConfigJson.mapper().valueToTree(r)));
    }

    // ---- assignments ----------------------------------------------------------------------------

    private CompletionStage<HttpResponse> assignOne(Project p, Map<String, String> params) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        params.forEach((k, v) -> {
            if (!CONTROL_PARAMS.contains(k)) {
                if (k.equals("segments")) {
                    ArrayNode segs = attributes.putArray("segments");
                    for (String s : v.split(",")) {
                        if (!s.isBlank()) {
                            segs.add(s.trim());
                        }
                    }
                } else {
                    attributes.put(k, v);
                }
            }
        });
        requireUnit(attributes, "user_id");
        Set<String> only = params.containsKey("experiment") ? Set.of(params.get("experiment").split(",")) : null;
        boolean log = !params.containsKey("log_exposures") || bool(params.get("log_exposures"), "log_exposures");
        Map<String, Integer> forced = params.containsKey("force") ? forcedFromQuery(params.get("force")) : Map.of();
        return assignments.assignAsync(p.id(), attributes, forced, only, log).thenApply(result -> assignmentsResponse(attributes, result));
    }

    /**
     * {@code {"user_id"?,"device_id"?,"assignments":[…]}} written straight to bytes — the same document as
     * {@link #assignmentJson} in a tree, without building one on the hot path.
     */
    static HttpResponse assignmentsResponse(JsonNode attributes, List<Assignment> result) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256 + 160 * result.size());
        try (JsonGenerator g = JSON_FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            for (String unit : List.of("user_id", "device_id")) {
                JsonNode v = attributes.get(unit);
                if (v != null) {
                    g.writeFieldName(unit);
                    if (v.isTextual()) {
                        g.writeString(v.textValue());
                    } else {
                        g.writeTree(v);
                    }
                }
            }
            g.writeArrayFieldStart("assignments");
            for (Assignment a : result) {
                g.writeStartObject();
                g.writeStringField("experiment", a.experimentKey());
                g.writeNumberField("variation_index", a.variationIndex());
                g.writeStringField("variation_key", a.variationKey());
                g.writeBooleanField("in_experiment", a.inExperiment());
                g.writeStringField("hash_attribute", a.hashAttribute());
                g.writeStringField("hash_value", a.hashValue());
                if (Double.isNaN(a.bucket())) {
                    g.writeNullField("bucket");
                } else {
                    g.writeNumberField("bucket", a.bucket());
                }
                g.writeBooleanField("sticky", a.stickyBucketUsed());
                g.writeBooleanField("forced", a.forced());
                g.writeNumberField("bucket_version", a.bucketVersion());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return Json.response(200, bytes.toByteArray());
    }

    private CompletionStage<HttpResponse> assignBatch(Project p, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        JsonNode users = body.path("users");
        if (!users.isArray() || users.isEmpty()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "users must be a non-empty array of units", "users");
        }
        if (users.size() > 1000) {
            throw ApiException.badRequest("TOO_MANY_USERS", "at most 1000 users per request", "users");
        }
        Map<String, Integer> forced = new HashMap<>();
        JsonNode f = body.path("forced_variations");
        if (!f.isMissingNode() && !f.isNull()) {
            if (!f.isObject()) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE", "forced_variations must map experiment keys to indexes", "forced_variations");
            }
            f.fields().forEachRemaining(en -> {
                if (!en.getValue().canConvertToInt()) {
                    throw ApiException.badRequest("INVALID_FIELD_TYPE", "must be a variation index", "forced_variations." + en.getKey());
                }
                forced.put(en.getKey(), en.getValue().asInt());
            });
        }
        Set<String> only = null;
        if (body.path("experiments").isArray()) {
            only = new HashSet<>();
            for (JsonNode k : body.get("experiments")) {
                only.add(k.asText());
            }
        }
        boolean log = body.path("log_exposures").asBoolean(true);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode results = o.putArray("results");
        CompletableFuture<?>[] logged = new CompletableFuture<?>[users.size()];
        for (int i = 0; i < users.size(); i++) {
            JsonNode u = users.get(i);
            if (!u.isObject()) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE", "each user must be an object", "users[" + i + "]");
            }
            ObjectNode attributes = u.path("attributes").isObject() ? ((ObjectNode) u.get("attributes")).deepCopy() : JsonNodeFactory.instance.objectNode();
            for (String field : List.of("user_id", "device_id", "segments")) {
                if (u.has(field)) {
                    attributes.set(field, u.get(field));
                }
            }
            requireUnit(attributes, "users[" + i + "].user_id");
            ObjectNode r = results.addObject();
            unitFields(r, attributes);
            ArrayNode arr = r.putArray("assignments");
            logged[i] = assignments.assignAsync(p.id(), attributes, forced, only, log)
                    .thenAccept(list -> list.forEach(a -> arr.add(assignmentJson(a)))).toCompletableFuture();
        }
        // answered once every unit's new exposures are durably logged (see ExposureLogger)
        return CompletableFuture.allOf(logged).thenApply(x -> Json.response(200, o));
    }

    private CompletionStage<HttpResponse> sdkPayload(Project p) {
        return done(200, GrowthBookPayload.build(catalog.running(p.id()), clock.getAsLong()));
    }

    private CompletionStage<HttpResponse> sdkPayloadByClientKey(String clientKey) {
        Project p = projects.byWriteKey(clientKey).orElseThrow(() -> ApiException.notFound("unknown client key"));
        return sdkPayload(p);
    }

    // ---- JSON helpers ---------------------------------------------------------------------------

    private static ObjectNode experimentJson(Versioned<Experiment> v) {
        ObjectNode o = ConfigJson.toDocument(v.value());
        o.put("version", v.version());
        return o;
    }

    static ObjectNode assignmentJson(Assignment a) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("experiment", a.experimentKey());
        o.put("variation_index", a.variationIndex());
        o.put("variation_key", a.variationKey());
        o.put("in_experiment", a.inExperiment());
        o.put("hash_attribute", a.hashAttribute());
        o.put("hash_value", a.hashValue());
        if (Double.isNaN(a.bucket())) {
            o.putNull("bucket");
        } else {
            o.put("bucket", a.bucket());
        }
        o.put("sticky", a.stickyBucketUsed());
        o.put("forced", a.forced());
        o.put("bucket_version", a.bucketVersion());
        return o;
    }

    private static void unitFields(ObjectNode o, JsonNode attributes) {
        if (attributes.has("user_id")) {
            o.set("user_id", attributes.get("user_id"));
        }
        if (attributes.has("device_id")) {
            o.set("device_id", attributes.get("device_id"));
        }
    }

    private static void requireUnit(JsonNode attributes, String field) {
        if (attributes.size() == 0 || (attributes.size() == 1 && attributes.has("segments"))) {
            throw ApiException.badRequest("MISSING_USER_ID", "give user_id, device_id or the experiments' hash attribute", field);
        }
    }

    private static Map<String, Integer> forcedFromQuery(String raw) {
        Map<String, Integer> out = new HashMap<>();
        for (String pair : raw.split(",")) {
            int colon = pair.lastIndexOf(':');
            try {
                out.put(pair.substring(0, colon), Integer.parseInt(pair.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("INVALID_FORCE", "force must be experiment:index[,experiment:index]", "force");
            }
        }
        return out;
    }

    private static boolean bool(String v, String field) {
        if ("true".equalsIgnoreCase(v) || "1".equals(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v) || "0".equals(v)) {
            return false;
        }
        throw ApiException.badRequest("INVALID_PARAMETER", field + " must be true or false", field);
    }

    private static void keyMatchesPath(ObjectNode body, String key) {
        if (!body.has("key") || body.get("key").isNull()) {
            body.put("key", key);
        } else if (!key.equals(body.get("key").asText())) {
            throw InvalidDocumentException.of("key", "must match the key in the path ('" + key + "')");
        }
    }

    private static CompletionStage<HttpResponse> done(int status, JsonNode body) {
        return CompletableFuture.completedFuture(Json.response(status, body));
    }
}
