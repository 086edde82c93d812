package io.beacon.cdp.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beacon.cdp.audience.AudienceResync;
import io.beacon.cdp.audience.AudienceUnavailableException;
import io.beacon.cdp.audience.OutboxUnavailableException;
import io.beacon.cdp.audience.ResyncPlan;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.ErrorMapping;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /api/v1/destinations/{id}/resync} (secret key), body {@code {"resync_id"?}}: a full resync of a CRM
 * destination's audience — one {@code audience.resync} ({@code add_to_list}) message per current member of each
 * subscribed segment — answered 202 {@code {"resync_id","destination_id","segments":{id:count},"enqueued"}} once
 * Kafka has them all. A retried call with the same {@code resync_id} enqueues the same message ids.
 * Unknown id → 404; not a CRM destination, no list, no segment subscription, disabled, malformed body → 400 naming
 * the field; no engine on this node or a partition moving → 503 {@code ENGINE_UNAVAILABLE}; Kafka not taking the
 * messages → 503 {@code OUTBOX_UNAVAILABLE} with the {@code resync_id} to retry with.
 */
public final class ResyncRoutes extends AllDirectives {
    private static final ApiErrors ERRORS = ApiErrors.of(
            ErrorMapping.on(AudienceUnavailableException.class, e ->
                    ApiError.of(503, "ENGINE_UNAVAILABLE", e.getMessage(), null).withRetryAfter(5)),
            ErrorMapping.on(OutboxUnavailableException.class, e ->
                    ApiError.of(503, "OUTBOX_UNAVAILABLE", e.getMessage(), null).withRetryAfter(5)
                            .withDetail("resync_id", TextNode.valueOf(e.resyncId()))),
            ControlPlaneErrors.MAPPING);

    private final SecretKeyAuth<Project> secretKeys;
    private final BiFunction<String, String, Optional<DestinationDefinition>> destinations;
    private final AudienceResync resync;
    private final Executor executor;

    /** @param executor where resyncs run (they block on the members port and on Kafka) */
    public ResyncRoutes(ProjectDirectory projects, BiFunction<String, String, Optional<DestinationDefinition>> destinations,
                        AudienceResync resync, Executor executor) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.destinations = destinations;
        this.resync = resync;
        this.executor = executor;
    }

    /** The routes below {@code /api/v1}. */
    public Route routes() {
        return pathPrefix("destinations", () -> path(segment().slash("resync"), id -> post(() ->
                ApiRoutes.request(ERRORS, secretKeys, (p, r) -> resync(p, id, r.body())))));
    }

    private CompletionStage<HttpResponse> resync(Project p, String id, byte[] body) {
        Optional<String> requested = resyncId(body);
        DestinationDefinition d = destinations.apply(p.id(), id)
                .orElseThrow(() -> ApiException.notFound("no destination '" + id + "'"));
        ResyncPlan plan = ResyncPlan.of(d, requested.orElseGet(() -> "rs_" + UUID.randomUUID().toString().replace("-", "")));
        if (!resync.available()) {
            throw new AudienceUnavailableException("no engine runs on this node, so segment members cannot be read;"
                    + " call a node with the engine role");
        }
        return CompletableFuture.supplyAsync(() -> resync.run(plan), executor).thenApply(result -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("resync_id", result.resyncId());
            o.put("destination_id", d.id());
            ObjectNode segments = o.putObject("segments");
            for (Map.Entry<String, Long> e : result.segments().entrySet()) {
                segments.put(e.getKey(), e.getValue());
            }
            o.put("enqueued", result.enqueued());
            return Json.response(202, o);
        });
    }

    /** The body's {@code resync_id}; an empty body or {@code {}} has none. */
    static Optional<String> resyncId(byte[] body) {
        ObjectNode o = Json.parseObject(body);
        Iterator<String> fields = o.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!f.equals("resync_id")) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "unknown field '" + f + "'; the body may hold resync_id", f);
            }
        }
        JsonNode v = o.get("resync_id");
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", "resync_id must be a string", "resync_id");
        }
        return Optional.of(v.asText());
    }
}
