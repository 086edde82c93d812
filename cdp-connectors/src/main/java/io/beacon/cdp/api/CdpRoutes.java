package io.beacon.cdp.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.cdp.outbox.Lanes;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.OutboxMessage;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The connectors' own endpoints beside the delivery log and the DLQ, authenticated with the project's secret key:
 * <ul>
 *   <li>{@code POST /api/v1/destinations/{id}/test} → 202 {@code {"message_id"}}: a {@code test.message} through the
 *       outbox, delivered, retried and logged like any other message (the console's "send test message");</li>
 *   <li>{@code GET /api/v1/cdp/status} → {@code {"destinations":[{"id","status","in_flight","attempts":{…},
 *       "latency_ms":{"p50","p95","p99"}}],"pending"}}: this node's live view of each destination (healthy,
 *       degraded while its circuit is open, disabled), since the node started.</li>
 * </ul>
 */
public final class CdpRoutes extends AllDirectives {
    private final SecretKeyAuth<Project> secretKeys;
    private final BiFunction<String, String, Optional<DestinationDefinition>> destinations;
    private final Function<DestinationDefinition, CompletionStage<OutboxMessage>> sendTest;
    private final Lanes lanes;
    private final Supplier<Integer> pending;

    public CdpRoutes(ProjectDirectory projects, BiFunction<String, String, Optional<DestinationDefinition>> destinations,
                     Function<DestinationDefinition, CompletionStage<OutboxMessage>> sendTest, Lanes lanes, Supplier<Integer> pending) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.destinations = destinations;
        this.sendTest = sendTest;
        this.lanes = lanes;
        this.pending = pending;
    }

    /** The routes below {@code /api/v1}. */
    public Route routes() {
        return concat(
                pathPrefix("destinations", () -> path(segment().slash("test"), id -> post(() ->
                        ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> test(p, id))))),
                path(segment("cdp").slash("status"), () -> get(() ->
                        ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> status(p)))));
    }

    private CompletionStage<HttpResponse> test(Project p, String id) {
        DestinationDefinition d = destinations.apply(p.id(), id)
                .orElseThrow(() -> ApiException.notFound("no destination '" + id + "'"));
        if (!d.enabled()) {
            throw ApiException.badRequest("DESTINATION_DISABLED", "destination '" + id + "' is disabled"
                    + (d.disabledReason() == null ? "" : " (" + d.disabledReason() + ")") + "; enable it first", "id");
        }
        return sendTest.apply(d).thenApply(m -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("message_id", m.messageId());
            o.put("destination_id", d.id());
            o.put("type", m.type());
            return Json.response(202, o);
        });
    }

    private CompletionStage<HttpResponse> status(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("destinations");
        for (Lanes.LaneStats s : lanes.stats()) {
            if (!s.projectId().equals(p.id())) {
                continue;
            }
            ObjectNode d = items.addObject();
            d.put("id", s.destinationId());
            d.put("status", s.status().name().toLowerCase(Locale.ROOT));
            d.put("in_flight", s.inFlight());
            ObjectNode attempts = d.putObject("attempts");
            for (Map.Entry<DeliveryAttempt.Outcome, Long> e : s.attempts().entrySet()) {
                attempts.put(e.getKey().wireName(), e.getValue());
            }
            ObjectNode latency = d.putObject("latency_ms");
            latency.put("p50", s.p50Ms());
            latency.put("p95", s.p95Ms());
            latency.put("p99", s.p99Ms());
        }
        o.put("pending", pending.get());
        return CompletableFuture.completedFuture(Json.response(200, o));
    }
}
