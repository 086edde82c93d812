package io.beacon.control.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.Versioned;
import io.beacon.control.destinations.DestinationRoutes;
import io.beacon.control.destinations.DestinationService;
import io.beacon.control.discovery.DiscoveryEndpoints;
import io.beacon.control.discovery.DiscoveryView;
import io.beacon.control.dlq.DeadLetterRoutes;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.http.DocumentJson;
import io.beacon.control.journeys.JourneyRoutes;
import io.beacon.control.journeys.JourneyService;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.registry.EventDefinition;
import io.beacon.control.registry.EventValidator;
import io.beacon.control.registry.PiiTransformer;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.RegistryCatalog;
import io.beacon.control.registry.RegistryService;
import io.beacon.control.registry.RegistryView;
import io.beacon.control.registry.ValidationResult;
import io.beacon.control.registry.Violation;
import io.beacon.control.segments.SegmentRoutes;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.ConfigJson;
import io.beacon.httpkit.AdminToken;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.httpkit.Versions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The admin API, {@code /api/v1/...}, authenticated with {@code Authorization: Bearer <token>}.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>endpoint</th><th>auth</th><th>body / answer</th></tr>
 *   <tr><td>{@code POST /api/v1/projects}</td><td>admin token</td><td>{@code {"id","name","timezone"?,"mode"?,
 *       "write_key"?,"secret_key"?}} → 201 project with both keys</td></tr>
 *   <tr><td>{@code GET /api/v1/projects/{id}}</td><td>its secret key or admin</td><td>project with
 *       {@code write_key} and {@code version}</td></tr>
 *   <tr><td>{@code PATCH|PUT /api/v1/projects/{id}}</td><td>its secret key or admin</td><td>{@code {"version",
 *       "name"?,"timezone"?,"mode"?}} → project</td></tr>
 *   <tr><td>{@code POST /api/v1/projects/{id}/keys/rotate}</td><td>its secret key or admin</td>
 *       <td>{@code {"write_key":true,"secret_key":true}} (default both) → project with the new keys</td></tr>
 *   <tr><td>{@code GET|POST /api/v1/metadata/events}</td><td>secret key</td><td>list / create (201)</td></tr>
 *   <tr><td>{@code GET|PUT|DELETE /api/v1/metadata/events/{name}}</td><td>secret key</td><td>read / create
 *       ({@code version} 0) or update / delete (204)</td></tr>
 *   <tr><td>{@code .../metadata/properties[/{name}]}</td><td>secret key</td><td>the same for properties</td></tr>
 *   <tr><td>{@code POST /api/v1/metadata/events/{name}/validate}</td><td>secret key</td><td>{@code {"properties":{..}}}
 *       → {@code {"verdict","violations":[..],"properties"}}</td></tr>
 *   <tr><td>{@code GET /api/v1/metadata/discovered[?kind=event|property]}</td><td>secret key</td><td>unregistered
 *       events/properties seen by the topology (see {@link DiscoveryEndpoints})</td></tr>
 *   <tr><td>{@code POST /api/v1/metadata/discovered/{kind}/{name}/register}</td><td>secret key</td><td>→ 201 the new
 *       draft event / property definition; 404 not discovered, 409 already registered</td></tr>
 *   <tr><td>{@code GET /api/v1/dlq}, {@code POST /api/v1/dlq/replay}</td><td>secret key</td><td>dead letters of
 *       the project and their replay (see {@link DeadLetterRoutes})</td></tr>
 *   <tr><td>{@code GET|POST /api/v1/segments}, {@code GET|PUT|DELETE /api/v1/segments/{id}}</td><td>secret key</td>
 *       <td>realtime segment definitions (see {@link SegmentRoutes})</td></tr>
 *   <tr><td>{@code GET|POST /api/v1/destinations}, {@code GET|PUT|DELETE /api/v1/destinations/{id}},
 *       {@code GET /api/v1/destinations/{id}/secret}</td><td>secret key</td>
 *       <td>CDP destination definitions (see {@link DestinationRoutes})</td></tr>
 *   <tr><td>{@code /api/v1/journeys} and below</td><td>secret key</td>
 *       <td>journeys, their lifecycle, published versions and frequency caps (see {@link JourneyRoutes})</td></tr>
 * </table>
 *
 * <p>Updates and deletes carry the expected version, as {@code version} in the body or an
 * {@code If-Match} header (for DELETE also {@code ?version=}); a stale one answers 409
 * {@code VERSION_CONFLICT}. Error bodies are {@code {"error":{"code","message","field"?}}}
 * (mapped by {@link ControlPlaneErrors} and the HTTP kit's {@code ApiErrors}). The secret key and PII
 * secret are never returned except the secret key right after a create or rotation.
 *
 * <p>Handlers never block: store writes complete asynchronously.
 */
public final class ControlPlaneRoutes extends AllDirectives {
    private static final String EVENTS = "events";
    private static final String PROPERTIES = "properties";

    private final ProjectDirectory projects;
    private final RegistryService registry;
    private final RegistryCatalog catalog;
    private final AdminToken adminToken;
    private final SecretKeyAuth<Project> secretKeys;
    private final DiscoveryEndpoints discovery;
    private final DeadLetterRoutes deadLetters;
    private final SegmentRoutes segments;
    private final DestinationRoutes destinations;
    private final JourneyRoutes journeys;

    /** Without a discovery view: {@code /metadata/discovered} lists nothing. */
    public ControlPlaneRoutes(ProjectDirectory projects, RegistryService registry, RegistryCatalog catalog,
                              SegmentService segments, DestinationService destinations, JourneyService journeys,
                              ControlPlaneSettings settings) {
        this(projects, registry, catalog, segments, destinations, journeys, settings, DiscoveryView.detached());
    }

    public ControlPlaneRoutes(ProjectDirectory projects, RegistryService registry, RegistryCatalog catalog,
                              SegmentService segments, DestinationService destinations, JourneyService journeys,
                              ControlPlaneSettings settings, DiscoveryView discoveryView) {
        this.projects = projects;
        this.registry = registry;
        this.catalog = catalog;
        this.adminToken = AdminToken.of(settings.adminToken());
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.discovery = new DiscoveryEndpoints(discoveryView, registry);
        this.deadLetters = new DeadLetterRoutes(projects, settings);
        this.segments = new SegmentRoutes(projects, segments);
        this.destinations = new DestinationRoutes(projects, destinations);
        this.journeys = new JourneyRoutes(projects, journeys);
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                pathPrefix("projects", this::projectRoutes),
                pathPrefix("metadata", this::metadataRoutes),
                pathPrefix("dlq", deadLetters::routes),
                pathPrefix("segments", segments::routes),
                pathPrefix("destinations", destinations::routes),
                pathPrefix("journeys", journeys::routes))));
    }

    // ---- routing -------------------------------------------------------------------------------

    private Route projectRoutes() {
        return concat(
                pathEndOrSingleSlash(() -> post(() -> request(r -> createProject(r.bearer(), r.body())))),
                pathPrefix(segment(), id -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> request(r -> getProject(r.bearer(), id))),
                                patch(() -> request(r -> updateProject(r.bearer(), id, r.ifMatch(), r.body()))),
                                put(() -> request(r -> updateProject(r.bearer(), id, r.ifMatch(), r.body()))))),
                        path(segment("keys").slash("rotate"),
                                () -> post(() -> request(r -> rotateKeys(r.bearer(), id, r.body())))))));
    }

    private Route metadataRoutes() {
        return concat(
                pathPrefix(EVENTS, () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> request(r -> list(r.bearer(), EVENTS))),
                                post(() -> request(r -> create(r.bearer(), EVENTS, r.body()))))),
                        pathPrefix(segment(), name -> concat(
                                pathEndOrSingleSlash(() -> definitionRoutes(EVENTS, name)),
                                path("validate", () -> post(() -> request(r -> validate(r.bearer(), name, r.body())))))))),
                pathPrefix(PROPERTIES, () -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> request(r -> list(r.bearer(), PROPERTIES))),
                                post(() -> request(r -> create(r.bearer(), PROPERTIES, r.body()))))),
                        path(segment(), name -> definitionRoutes(PROPERTIES, name)))),
                pathPrefix("discovered", this::discoveryRoutes));
    }

    private Route discoveryRoutes() {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> parameterOptional("kind", kind ->
                        request(r -> discovery.list(projectOfKey(r.bearer()), kind))))),
                path(segment().slash(segment()).slash("register"), (kind, name) ->
                        post(() -> request(r -> discovery.register(projectOfKey(r.bearer()), kind, name)))));
    }

    private Route definitionRoutes(String kind, String name) {
        return concat(
                get(() -> request(r -> read(r.bearer(), kind, name))),
                put(() -> request(r -> replace(r.bearer(), kind, name, r.ifMatch(), r.body()))),
                delete(() -> parameterOptional("version", query ->
                        request(r -> remove(r.bearer(), kind, name, r.ifMatch().or(() -> query))))));
    }

    /** Reads the bearer token, If-Match and body, runs the handler and maps every error to an answer. */
    private static Route request(ApiRoutes.Handler handler) {
        return ApiRoutes.request(ControlPlaneErrors.ERRORS, handler);
    }

    // ---- authentication ------------------------------------------------------------------------

    private boolean isAdmin(Optional<String> token) {
        return adminToken.accepts(token);
    }

    /** The project of the secret key (metadata endpoints are scoped by the key). */
    private Project projectOfKey(Optional<String> token) {
        return secretKeys.ofToken(token);
    }

    /** Admin, or the secret key of project {@code id}. */
    private Versioned<Project> authorizedProject(Optional<String> token, String id) {
        if (isAdmin(token)) {
            return projects.versioned(id).orElseThrow(() -> ApiException.notFound("no project '" + id + "'"));
        }
        Project own = projectOfKey(token);
        if (!own.id().equals(id)) {
            throw ApiException.forbidden("the secret key belongs to another project");
        }
        return projects.versioned(id).orElseThrow(() -> ApiException.notFound("no project '" + id + "'"));
    }

    // ---- projects ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> createProject(Optional<String> token, byte[] bytes) {
        if (!isAdmin(token)) {
            throw ApiException.unauthorized("creating projects needs the admin token");
        }
        ObjectNode body = Json.parseObject(bytes);
        String id = text(body, "id").orElse(null);
        String name = text(body, "name").orElse(id);
        String timezone = text(body, "timezone").orElse("UTC");
        EnforcementMode mode = text(body, "mode").map(m -> enumValue("mode", () -> EnforcementMode.fromWire(m))).orElse(EnforcementMode.PERMISSIVE);
        Project p = new Project(id, name, timezone, mode,
                text(body, "write_key").orElseGet(ProjectKeys::newWriteKey),
                text(body, "secret_key").orElseGet(ProjectKeys::newSecretKey),
                ProjectKeys.newPiiSecret());
        return projects.create(p).thenApply(v -> Json.response(201, projectJson(v, true)));
    }

    private CompletionStage<HttpResponse> getProject(Optional<String> token, String id) {
        return CompletableFuture.completedFuture(Json.response(200, projectJson(authorizedProject(token, id), false)));
    }

    private CompletionStage<HttpResponse> updateProject(Optional<String> token, String id, Optional<String> ifMatch, byte[] bytes) {
        authorizedProject(token, id);
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        for (String immutable : List.of("write_key", "secret_key", "pii_secret")) {
            if (body.has(immutable)) {
                throw InvalidDocumentException.of(immutable, "cannot be set by an update; use /keys/rotate");
            }
        }
        if (body.has("id") && !id.equals(body.get("id").asText())) {
            throw InvalidDocumentException.of("id", "cannot be changed");
        }
        Optional<String> name = text(body, "name");
        Optional<String> timezone = text(body, "timezone");
        Optional<EnforcementMode> mode = text(body, "mode").map(m -> enumValue("mode", () -> EnforcementMode.fromWire(m)));
        return projects.update(id, version, p -> {
            Project q = p;
            q = name.isPresent() ? q.withName(name.get()) : q;
            q = timezone.isPresent() ? q.withTimezone(timezone.get()) : q;
            return mode.isPresent() ? q.withMode(mode.get()) : q;
        }).thenApply(v -> Json.response(200, projectJson(v, false)));
    }

    private CompletionStage<HttpResponse> rotateKeys(Optional<String> token, String id, byte[] bytes) {
        authorizedProject(token, id);
        ObjectNode body = Json.parseObject(bytes);
        boolean write = bool(body, "write_key").orElse(true);
        boolean secret = bool(body, "secret_key").orElse(true);
        if (!write && !secret) {
            throw ApiException.badRequest("NOTHING_TO_ROTATE", "set write_key and/or secret_key to true", "write_key");
        }
        return projects.rotateKeys(id, write, secret).thenApply(v -> Json.response(200, projectJson(v, true)));
    }

    private static ObjectNode projectJson(Versioned<Project> v, boolean withSecret) {
        Project p = v.value();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", p.id());
        o.put("name", p.name());
        o.put("timezone", p.timezone());
        o.put("mode", p.mode().wireName());
        o.put("write_key", p.writeKey());
        if (withSecret) {
            o.put("secret_key", p.secretKey());
        }
        o.put("version", v.version());
        return o;
    }

    // ---- registry ------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Optional<String> token, String kind) {
        Project p = projectOfKey(token);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray(kind);
        if (kind.equals(EVENTS)) {
            registry.events(p.id()).forEach(v -> items.add(definitionJson(v)));
        } else {
            registry.properties(p.id()).forEach(v -> items.add(definitionJson(v)));
        }
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> read(Optional<String> token, String kind, String name) {
        Project p = projectOfKey(token);
        Optional<? extends Versioned<?>> found = kind.equals(EVENTS) ? registry.event(p.id(), name) : registry.property(p.id(), name);
        Versioned<?> v = found.orElseThrow(() -> notFound(kind, name));
        return CompletableFuture.completedFuture(Json.response(200, definitionJson(v)));
    }

    private CompletionStage<HttpResponse> create(Optional<String> token, String kind, byte[] bytes) {
        Project p = projectOfKey(token);
        ObjectNode body = Json.parseObject(bytes);
        return write(p, kind, body, 0).thenApply(v -> Json.response(201, definitionJson(v)));
    }

    private CompletionStage<HttpResponse> replace(Optional<String> token, String kind, String name, Optional<String> ifMatch, byte[] bytes) {
        Project p = projectOfKey(token);
        ObjectNode body = Json.parseObject(bytes);
        long version = Versions.required(body, ifMatch);
        if (!body.has("name") || body.get("name").isNull()) {
            body.put("name", name);
        } else if (!name.equals(body.get("name").asText())) {
            throw InvalidDocumentException.of("name", "must match the name in the path ('" + name + "')");
        }
        if (version > 0 && (kind.equals(EVENTS) ? registry.event(p.id(), name) : registry.property(p.id(), name)).isEmpty()) {
            throw notFound(kind, name);
        }
        return write(p, kind, body, version).thenApply(v -> Json.response(version == 0 ? 201 : 200, definitionJson(v)));
    }

    private CompletionStage<Versioned<?>> write(Project p, String kind, ObjectNode body, long version) {
        if (kind.equals(EVENTS)) {
            EventDefinition def = DocumentJson.bind(body, EventDefinition.class);
            return registry.putEvent(p.id(), def, version).thenApply(v -> v);
        }
        PropertyDefinition def = DocumentJson.bind(body, PropertyDefinition.class);
        return registry.putProperty(p.id(), def, version).thenApply(v -> v);
    }

    private CompletionStage<HttpResponse> remove(Optional<String> token, String kind, String name, Optional<String> versionText) {
        Project p = projectOfKey(token);
        boolean exists = (kind.equals(EVENTS) ? registry.event(p.id(), name) : registry.property(p.id(), name)).isPresent();
        if (!exists) {
            throw notFound(kind, name);
        }
        long version = versionText.map(Versions::parse).orElseThrow(Versions::missing);
        CompletionStage<Void> done = kind.equals(EVENTS)
                ? registry.deleteEvent(p.id(), name, version)
                : registry.deleteProperty(p.id(), name, version);
        return done.thenApply(x -> HttpResponse.create().withStatus(204));
    }

    private CompletionStage<HttpResponse> validate(Optional<String> token, String name, byte[] bytes) {
        Project p = projectOfKey(token);
        NameRules.checkName(name).ifPresent(m -> {
            throw ApiException.badRequest("INVALID_NAME", "event name " + m, "name");
        });
        ObjectNode body = Json.parseObject(bytes);
        JsonNode propsNode = body.path("properties");
        if (!propsNode.isMissingNode() && !propsNode.isNull() && !propsNode.isObject()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "properties must be a JSON object", "properties");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> props = propsNode.isObject() ? ConfigJson.mapper().convertValue(propsNode, Map.class) : Map.of();
        RegistryView view = catalog.view(p.id());
        ValidationResult result = EventValidator.validate(p.mode(), view, name, props);
        Map<String, Object> stored = result.rejected() ? result.properties() : PiiTransformer.apply(p.piiSecret(), view, result.properties());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("event", name);
        o.put("mode", p.mode().wireName());
        o.put("verdict", result.verdict().name().toLowerCase(Locale.ROOT));
        ArrayNode violations = o.putArray("violations");
        for (Violation v : result.violations()) {
            ObjectNode vo = violations.addObject();
            vo.put("code", v.code().name());
            vo.put("field", v.field());
            vo.put("message", v.message());
            vo.put("severity", v.severity().name().toLowerCase(Locale.ROOT));
        }
        o.set("properties", ConfigJson.mapper().valueToTree(stored));
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private static ObjectNode definitionJson(Versioned<?> v) {
        ObjectNode o = ConfigJson.toDocument(v.value());
        o.put("version", v.version());
        return o;
    }

    // ---- request helpers -----------------------------------------------------------------------

    private static ApiException notFound(String kind, String name) {
        return ApiException.notFound("no " + (kind.equals(EVENTS) ? "event" : "property") + " '" + name + "'");
    }

    private static Optional<String> text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw InvalidDocumentException.of(field, "must be a string");
        }
        return Optional.of(n.asText());
    }

    private static Optional<Boolean> bool(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw InvalidDocumentException.of(field, "must be true or false");
        }
        return Optional.of(n.asBoolean());
    }

    private static <T> T enumValue(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw InvalidDocumentException.of(field, e.getMessage());
        }
    }

}
