package io.beacon.platform;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.models.ModelPromotion;
import io.beacon.control.models.ModelPromotionService;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.engine.runtime.ModelCatalog;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.ModelRefusedException;
import io.beacon.ml.Task;
import io.beacon.ml.registry.ModelManifest;
import io.beacon.ml.registry.ModelStore;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The models API (docs/ml.md, "Promotion"), authenticated with the project's secret key:
 * <ul>
 *   <li>{@code GET /api/v1/models} → {@code {"models":[manifest summary + "role"],"promotions":{task:{…}},
 *       "serving":{task:{…}},"last_refusal":…}}: the versions in the model directory, newest first, what the config
 *       store says scores each task, and what this node's engine actually serves (when it runs the engine);</li>
 *   <li>{@code GET /api/v1/models/{version}} → the whole manifest (evaluation report, calibration, importance);</li>
 *   <li>{@code POST /api/v1/models/promote} {@code {"version"[,"task"]}} → the promotion; every engine node
 *       hot-swaps within seconds;</li>
 *   <li>{@code POST /api/v1/models/rollback} {@code {"task"}} → promotes the version the champion replaced;</li>
 *   <li>{@code POST /api/v1/models/challenger} {@code {"version","share"[,"task"]}} or {@code {"task","version":null}}
 *       → sets or removes the challenger.</li>
 * </ul>
 * Nothing is promoted that this node cannot load: the version is loaded and checked first (checksum, task, feature
 * fingerprint, directory), a refusal answers 400 with its code ({@code MODEL_TAMPERED}, …) naming {@code version},
 * and the config store is left as it was.
 */
final class ModelRoutes extends AllDirectives {
    private final SecretKeyAuth<Project> secretKeys;
    private final ModelStore store;
    private final ModelPromotionService promotions;
    private final Function<Task, FeatureSpec> servingSpec;
    private final Optional<ModelCatalog> serving;

    ModelRoutes(ProjectDirectory projects, ModelStore store, ModelPromotionService promotions,
                Function<Task, FeatureSpec> servingSpec, Optional<ModelCatalog> serving) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.store = store;
        this.promotions = promotions;
        this.servingSpec = servingSpec;
        this.serving = serving;
    }

    Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("models", () -> concat(
                pathEndOrSingleSlash(() -> get(() -> ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> list(p)))),
                path("promote", () -> post(() -> ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> promote(p, r.body())))),
                path("rollback", () -> post(() -> ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> rollback(p, r.body())))),
                path("challenger", () -> post(() -> ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> challenger(p, r.body())))),
                path(segment(), version -> get(() -> ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> one(p, version))))))));
    }

    // ---- reads -------------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Project p) {
        List<ModelManifest> all = manifests();
        List<ModelPromotion> promoted = promotions.list(p.id());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode models = o.putArray("models");
        for (ModelManifest m : all) {
            ObjectNode x = models.addObject();
            x.put("version", m.version());
            x.put("task", m.task().id());
            x.put("trainer", m.trainer().name().toLowerCase(Locale.ROOT));
            x.put("created_at", m.createdAt());
            x.put("feature_fingerprint", m.featureFingerprint());
            x.put("test_rows", m.evaluation().testRows());
            ObjectNode metrics = x.putObject("metrics");
            m.evaluation().metrics().forEach(metrics::put);
            role(promoted, m).ifPresentOrElse(r -> x.put("role", r), () -> x.putNull("role"));
        }
        ObjectNode byTask = o.putObject("promotions");
        for (ModelPromotion mp : promoted) {
            byTask.set(mp.task(), promotionJson(mp));
        }
        ObjectNode live = o.putObject("serving");
        serving.ifPresent(c -> c.active(p.id()).forEach((task, a) -> {
            ObjectNode t = live.putObject(task.id());
            t.put("version", a.championVersion());
            if (a.challengerVersion() != null) {
                t.put("challenger_version", a.challengerVersion());
                t.put("challenger_share", a.challengerShare());
            }
        }));
        o.put("engine_on_this_node", serving.isPresent());
        Optional<ModelCatalog.Refusal> refusal = serving.flatMap(ModelCatalog::lastRefusal).filter(r -> r.projectId().equals(p.id()));
        if (refusal.isPresent()) {
            ObjectNode r = o.putObject("last_refusal");
            r.put("version", refusal.get().version());
            r.put("task", refusal.get().task().id());
            r.put("code", refusal.get().code().toUpperCase(Locale.ROOT));
            r.put("message", refusal.get().message());
            r.put("at_ms", refusal.get().atMs());
        } else {
            o.putNull("last_refusal");
        }
        o.put("model_dir", store.directory().toString());
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private CompletionStage<HttpResponse> one(Project p, String version) {
        if (!ModelStore.VERSION_ID.matcher(version).matches()) {
            throw ApiException.badRequest("INVALID_VERSION", "a model version id is [a-z0-9-]+", "version");
        }
        ModelManifest m = manifests().stream().filter(x -> x.version().equals(version)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no model version '" + version + "' in the model directory"));
        ObjectNode o = (ObjectNode) ModelStore.json().valueToTree(m);
        role(promotions.list(p.id()), m).ifPresentOrElse(r -> o.put("role", r), () -> o.putNull("role"));
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    private List<ModelManifest> manifests() {
        try {
            return store.list();
        } catch (IOException e) {
            throw new ApiException(503, "MODEL_DIR_UNREADABLE", "the model directory cannot be read: " + e.getMessage(), null);
        }
    }

    private static Optional<String> role(List<ModelPromotion> promoted, ModelManifest m) {
        for (ModelPromotion p : promoted) {
            if (p.task().equals(m.task().id())) {
                if (m.version().equals(p.version())) {
                    return Optional.of("champion");
                }
                if (m.version().equals(p.challengerVersion())) {
                    return Optional.of("challenger");
                }
                if (m.version().equals(p.previousVersion())) {
                    return Optional.of("previous");
                }
            }
        }
        return Optional.empty();
    }

    // ---- writes ------------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> promote(Project p, byte[] body) {
        ObjectNode b = Json.parseObject(body);
        String version = requiredText(b, "version");
        Task task = checkedTask(b, version);
        return promotions.promote(p.id(), task.id(), version).thenApply(mp -> Json.response(200, promotionJson(mp)));
    }

    private CompletionStage<HttpResponse> rollback(Project p, byte[] body) {
        ObjectNode b = Json.parseObject(body);
        Task task = task(requiredText(b, "task"));
        ModelPromotion now = promotions.get(p.id(), task.id()).orElseThrow(() ->
                ApiException.badRequest("NO_PREVIOUS_VERSION", "no model scores " + task.id() + " yet: nothing to roll back", "task"));
        if (now.previousVersion() == null) {
            throw ApiException.badRequest("NO_PREVIOUS_VERSION", "the " + task.id() + " champion replaced no earlier version", "task");
        }
        load(now.previousVersion(), task);
        return promotions.promote(p.id(), task.id(), now.previousVersion()).thenApply(mp -> Json.response(200, promotionJson(mp)));
    }

    private CompletionStage<HttpResponse> challenger(Project p, byte[] body) {
        ObjectNode b = Json.parseObject(body);
        JsonNode v = b.get("version");
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw ApiException.badRequest("INVALID_FIELD", "version must be a model version id or null", "version");
        }
        if (v == null || v.isNull()) {
            Task task = task(requiredText(b, "task"));
            return promotions.challenger(p.id(), task.id(), null, 0).thenApply(mp -> Json.response(200, promotionJson(mp)));
        }
        JsonNode share = b.get("share");
        if (share == null || !share.isNumber() || !(share.asDouble() > 0 && share.asDouble() <= 1)) {
            throw ApiException.badRequest("INVALID_FIELD", "share must be a number in (0, 1]: the challenger's share of users", "share");
        }
        Task task = checkedTask(b, v.asText());
        ModelPromotion.requireValid(task.id(), promotions.get(p.id(), task.id()).map(ModelPromotion::version).orElse(v.asText()),
                v.asText(), share.asDouble());
        return promotions.challenger(p.id(), task.id(), v.asText(), share.asDouble()).thenApply(mp -> Json.response(200, promotionJson(mp)));
    }

    // the model's task, checked against "task" when the body gives one, after loading it as the engine would
    private Task checkedTask(ObjectNode b, String version) {
        if (!ModelStore.VERSION_ID.matcher(version).matches()) {
            throw ApiException.badRequest("INVALID_VERSION", "a model version id is [a-z0-9-]+ (see GET /api/v1/models)", "version");
        }
        ModelManifest m = manifests().stream().filter(x -> x.version().equals(version)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("MODEL_NOT_FOUND", "no model version '" + version + "' in the model directory", "version"));
        JsonNode t = b.get("task");
        Task task = t == null || t.isNull() ? m.task() : task(t.asText());
        load(version, task);
        return task;
    }

    private void load(String version, Task task) {
        try {
            store.load(version, task, servingSpec.apply(task));
        } catch (ModelRefusedException e) {
            String field = e.code().equals("model_wrong_task") ? "task" : "version";
            throw ApiException.badRequest(e.code().toUpperCase(Locale.ROOT), e.getMessage(), field);
        }
    }

    private static Task task(String id) {
        for (Task t : Task.values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw ApiException.badRequest("INVALID_FIELD", "task must be churn or ltv", "task");
    }

    private static String requiredText(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest("INVALID_FIELD", field + " is required (a string)", field);
        }
        return v.asText();
    }

    static ObjectNode promotionJson(ModelPromotion mp) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", mp.task());
        o.put("version", mp.version());
        if (mp.challengerVersion() != null) {
            o.put("challenger_version", mp.challengerVersion());
            o.put("challenger_share", mp.challengerShare());
        } else {
            o.putNull("challenger_version");
        }
        if (mp.previousVersion() != null) {
            o.put("previous_version", mp.previousVersion());
        } else {
            o.putNull("previous_version");
        }
        o.put("promoted_at_ms", mp.promotedAtMs());
        return o;
    }
}
