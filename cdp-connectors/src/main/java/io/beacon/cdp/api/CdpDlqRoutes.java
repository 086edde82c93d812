package io.beacon.cdp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.cdp.dlq.CdpDlqBrowser;
import io.beacon.cdp.dlq.CdpDlqCursor;
import io.beacon.cdp.dlq.CdpDlqFilter;
import io.beacon.cdp.dlq.CdpDlqJson;
import io.beacon.cdp.dlq.CdpDlqPage;
import io.beacon.cdp.dlq.CdpDlqParams;
import io.beacon.cdp.dlq.CdpDlqReplayer;
import io.beacon.cdp.dlq.KnownDestinations;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.event.RefusedException;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.ErrorMapping;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors' DLQ API: {@link #routes()} matches below {@code /api/v1} (the connectors' facade mounts it there
 * with the delivery log's and the status routes). Authenticated with the project's secret key ({@code Authorization: Bearer sk_…}) and
 * always restricted to that project's letters.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /api/v1/cdp/dlq?destination=&from=&to=&error_class=&limit=&cursor=}</td><td>(no
 *       destination, or {@code all}: every destination) {@code
 *       {"dead_letters":[{"message_id","destination_id","person_id","type","created_at_ms","attempts","error_class",
 *       "last_error","last_status","failed_at_ms","replayed_at_ms","partition","offset"}],"next_cursor","scanned","unreadable",
 *       "truncated"}}; times are epoch ms or ISO-8601 with an offset, bounds inclusive on {@code failed_at};
 *       {@code limit} 1–1000, default 100; {@code next_cursor} is {@code null} on the last page.</td></tr>
 *   <tr><td>{@code POST /api/v1/cdp/dlq/replay}</td><td>body {@code {"destination":"d1"|"all","from"?,"to"?,
 *       "error_class"?,"dry_run"?,"force"?}} → {@code {"dry_run","selected","already_replayed","duplicates",
 *       "to_replay","replayed","truncated"}}</td></tr>
 * </table>
 *
 * Malformed input answers 400 naming the field: {@code INVALID_TIME} (from/to), {@code INVALID_RANGE} (from after
 * to, field {@code from}), {@code INVALID_ERROR_CLASS}, {@code INVALID_LIMIT}, {@code INVALID_CURSOR},
 * {@code INVALID_DESTINATION}, {@code MISSING_DESTINATION}, {@code UNKNOWN_FIELD}, {@code INVALID_FIELD_TYPE}
 * (and the kit's {@code MALFORMED_JSON}, {@code NOT_AN_OBJECT}); a destination id the project does not have → 404
 * {@code UNKNOWN_DESTINATION} (field {@code destination}); Kafka not answering in time → 503
 * {@code CDP_DLQ_UNAVAILABLE} with {@code Retry-After: 5}. Kafka reads and writes run on Pekko's blocking-IO
 * dispatcher.
 */
public final class CdpDlqRoutes extends AllDirectives {

    /** Seconds a client should wait after a 503. */
    public static final long RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(CdpDlqRoutes.class);
    private static final String BLOCKING_DISPATCHER = "pekko.actor.default-blocking-io-dispatcher";
    private static final Set<String> REPLAY_FIELDS = Set.of("destination", "from", "to", "error_class", "dry_run", "force");
    private static final ApiErrors ERRORS = ControlPlaneErrors.ERRORS.with(ErrorMapping.on(DeadLetterUnavailableException.class,
            e -> {
                LOG.warn("connectors' DLQ unavailable: {}", e.getMessage());
                return ApiError.of(503, "CDP_DLQ_UNAVAILABLE", e.getMessage(), null).withRetryAfter(RETRY_AFTER_SECONDS);
            }));

    private final SecretKeyAuth<Project> secretKeys;
    private final KnownDestinations destinations;
    private final CdpDlqBrowser browser;
    private final CdpDlqReplayer replayer;

    /**
     * @param settings     the Kafka cluster and topic prefix ({@code DeadLetterSettings.from(controlPlaneSettings)})
     * @param destinations which destination ids exist (unknown ones answer 404)
     */
    public CdpDlqRoutes(ProjectDirectory projects, DeadLetterSettings settings, KnownDestinations destinations) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.destinations = Objects.requireNonNull(destinations, "destinations");
        this.browser = new CdpDlqBrowser(settings);
        this.replayer = new CdpDlqReplayer(browser);
    }

    /** The routes below the mount point {@code /api/v1}: {@code cdp/dlq} and {@code cdp/dlq/replay}. */
    public Route routes() {
        return pathPrefix("cdp", () -> pathPrefix("dlq", () ->
                extractActorSystem(system -> {
                    Executor blocking = system.dispatchers().lookup(BLOCKING_DISPATCHER);
                    return concat(
                            pathEndOrSingleSlash(() -> get(() -> parameterOptional("destination", destination ->
                                    parameterOptional("from", from -> parameterOptional("to", to ->
                                            parameterOptional("error_class", errorClass -> parameterOptional("limit", limit ->
                                                    parameterOptional("cursor", cursor -> ApiRoutes.request(ERRORS, secretKeys,
                                                            (project, r) -> list(blocking, project, new ListQuery(destination,
                                                                    from, to, errorClass, limit, cursor))))))))))),
                            path("replay", () -> post(() -> ApiRoutes.request(ERRORS, secretKeys,
                                    (project, r) -> replay(blocking, project, r.body())))));
                })));
    }

    // ---- list ----------------------------------------------------------------------------------

    /** The query parameters of a listing, as given. */
    private record ListQuery(Optional<String> destination, Optional<String> from, Optional<String> to,
                             Optional<String> errorClass, Optional<String> limit, Optional<String> cursor) {
    }

    private CompletionStage<HttpResponse> list(Executor blocking, Project project, ListQuery q) {
        CdpDlqFilter filter = CdpDlqFilter.project(project.id())
                .withDestination(present(q.destination()).filter(d -> !d.equals(CdpDlqParams.ALL_DESTINATIONS))
                        .map(d -> knownDestination(project, d)).orElse(null))
                .withRange(present(q.from()).map(t -> CdpDlqParams.time(t, "from")).orElse(null),
                        present(q.to()).map(t -> CdpDlqParams.time(t, "to")).orElse(null))
                .withErrorClass(present(q.errorClass()).map(c -> CdpDlqParams.errorClass(c, "error_class")).orElse(null));
        int limit = present(q.limit()).map(CdpDlqParams::limit).orElse(CdpDlqParams.DEFAULT_LIMIT);
        CdpDlqCursor cursor = present(q.cursor()).map(CdpDlqCursor::decode).orElse(null);
        return CompletableFuture.supplyAsync(() -> {
            CdpDlqPage page = browser.list(filter, limit, cursor);
            return CdpDlqJson.page(page, page.letters().isEmpty() ? Map.of() : replayer.replayedAt());
        }, blocking).thenApply(json -> Json.response(200, json));
    }

    // ---- replay --------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> replay(Executor blocking, Project project, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!REPLAY_FIELDS.contains(field)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "unknown field '" + field + "'; one of " + REPLAY_FIELDS, field);
            }
        }
        String destination = text(body, "destination");
        if (destination == null) {
            throw ApiException.badRequest("MISSING_DESTINATION", "destination is required: a destination id, or \""
                    + CdpDlqParams.ALL_DESTINATIONS + "\" to replay every destination's letters", "destination");
        }
        CdpDlqFilter filter = CdpDlqFilter.project(project.id())
                .withDestination(destination.equals(CdpDlqParams.ALL_DESTINATIONS) ? null : knownDestination(project, destination))
                .withRange(time(body, "from"), time(body, "to"))
                .withErrorClass(Optional.ofNullable(text(body, "error_class"))
                        .map(c -> CdpDlqParams.errorClass(c, "error_class")).orElse(null));
        boolean dryRun = flag(body, "dry_run");
        boolean force = flag(body, "force");
        return CompletableFuture.supplyAsync(() -> replayer.replay(filter, dryRun, force), blocking)
                .thenApply(result -> Json.response(200, CdpDlqJson.result(result)));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private String knownDestination(Project project, String text) {
        String id = CdpDlqParams.destination(text, "destination");
        if (!destinations.exists(project.id(), id)) {
            throw new RefusedException(RefusedException.Kind.NOT_FOUND, "UNKNOWN_DESTINATION",
                    "project " + project.id() + " has no destination '" + id + "'", "destination");
        }
        return id;
    }

    private static Optional<String> present(Optional<String> value) {
        return value.filter(v -> !v.isEmpty());
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", field + " must be a string", field);
        }
        return n.asText();
    }

    private static Long time(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0) {
            return n.asLong();
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest("INVALID_TIME", field + " must be epoch milliseconds (>= 0) or an ISO-8601 string", field);
        }
        return CdpDlqParams.time(n.asText(), field);
    }

    private static boolean flag(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest("INVALID_FIELD_TYPE", field + " must be true or false", field);
        }
        return n.booleanValue();
    }
}
