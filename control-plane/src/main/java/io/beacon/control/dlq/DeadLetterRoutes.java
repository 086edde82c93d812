package io.beacon.control.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.event.RejectionCode;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.ErrorMapping;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The DLQ API, mounted at {@code /api/v1/dlq} by {@code ControlPlaneRoutes}; authenticated with the
 * project's secret key ({@code Authorization: Bearer sk_…}) and always restricted to that project's
 * letters (a letter whose project could not be read belongs to no project and is only visible to
 * operators through {@link DeadLetterBrowser}).
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /api/v1/dlq?code=&stage=&limit=}</td><td>{@code {"total","by_code":{code:n},
 *       "scanned","truncated","records":[{"partition","offset","code","message","field","stage","event_id",
 *       "failed_at","source_topic","original","original_encoding"}]}}; {@code original} is the original
 *       record as JSON when it parses ({@code "original_encoding":"json"}), else Base64 ({@code "base64"}).
 *       {@code limit} 1–{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}.</td></tr>
 *   <tr><td>{@code POST /api/v1/dlq/replay}</td><td>body {@code {"code":"TYPE_MISMATCH"}},
 *       {@code {"event_ids":[…]}} and/or {@code {"offsets":[{"partition":0,"offset":12}]}} (criteria
 *       combine with AND) → {@code {"replayed":n,"replayed_offsets":[…],"skipped":[{"partition","offset",
 *       "event_id","code","stage","reason","message"}]}}</td></tr>
 * </table>
 *
 * Malformed requests answer 400 with a code ({@code MALFORMED_JSON}, {@code NOT_AN_OBJECT},
 * {@code UNKNOWN_FIELD}, {@code INVALID_FIELD_TYPE}, {@code INVALID_CODE}, {@code INVALID_LIMIT},
 * {@code EMPTY_SELECTION}, {@code TOO_MANY_ITEMS}); Kafka not answering in time → 503
 * {@code DLQ_UNAVAILABLE}. Note that {@code original} holds the record as received, PII included: the
 * secret key of the project is the authorization to see it.
 *
 * <p>Kafka reads and writes run on Pekko's blocking-IO dispatcher, never on the HTTP dispatcher.
 */
public final class DeadLetterRoutes extends AllDirectives {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    private static final String BLOCKING_DISPATCHER = "pekko.actor.default-blocking-io-dispatcher";
    private static final Set<String> REPLAY_FIELDS = Set.of("code", "event_ids", "offsets");
    /** Kafka not answering in time → 503 {@code DLQ_UNAVAILABLE}. */
    private static final ApiErrors ERRORS = ControlPlaneErrors.ERRORS.with(ErrorMapping.on(DeadLetterUnavailableException.class,
            e -> ApiError.of(503, "DLQ_UNAVAILABLE", e.getMessage(), null)));

    private final SecretKeyAuth<Project> secretKeys;
    private final DeadLetterBrowser browser;
    private final DeadLetterReplayer replayer;

    /** Routes reading the DLQ of the control plane's Kafka cluster and topic prefix. */
    public DeadLetterRoutes(ProjectDirectory projects, ControlPlaneSettings settings) {
        this(projects, DeadLetterSettings.from(settings));
    }

    public DeadLetterRoutes(ProjectDirectory projects, DeadLetterSettings settings) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.browser = new DeadLetterBrowser(settings);
        this.replayer = new DeadLetterReplayer(browser);
    }

    /** The routes below the mount point ({@code /api/v1/dlq}). */
    public Route routes() {
        return extractActorSystem(system -> {
            Executor blocking = system.dispatchers().lookup(BLOCKING_DISPATCHER);
            return concat(
                    pathEndOrSingleSlash(() -> get(() -> parameterOptional("code", code ->
                            parameterOptional("stage", stage -> parameterOptional("limit", limit ->
                                    ApiRoutes.request(ERRORS, secretKeys, (project, r) -> list(blocking, project, code, stage, limit))))))),
                    path("replay", () -> post(() -> ApiRoutes.request(ERRORS, secretKeys, (project, r) -> replay(blocking, project, r.body())))));
        });
    }

    // ---- list ----------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> list(Executor blocking, Project project, Optional<String> code,
                                               Optional<String> stage, Optional<String> limitText) {
        DeadLetterFilter filter = DeadLetterFilter.project(project.id())
                .withCode(code.filter(c -> !c.isEmpty()).map(DeadLetterRoutes::parseCode).orElse(null))
                .withStage(stage.orElse(null));
        int limit = limitText.map(DeadLetterRoutes::parseLimit).orElse(DEFAULT_LIMIT);
        return CompletableFuture.supplyAsync(() -> browser.list(filter, limit), blocking)
                .thenApply(page -> Json.response(200, DeadLetterJson.page(page)));
    }

    // ---- replay --------------------------------------------------------------------------------

    private CompletionStage<HttpResponse> replay(Executor blocking, Project project, byte[] bytes) {
        ReplaySelection selection = parseSelection(project.id(), Json.parseObject(bytes));
        return CompletableFuture.supplyAsync(() -> replayer.replay(selection), blocking)
                .thenApply(result -> Json.response(200, DeadLetterJson.result(result)));
    }

    /** The selection a replay body names; every problem is a 400 naming the field. */
    static ReplaySelection parseSelection(String projectId, ObjectNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!REPLAY_FIELDS.contains(field)) {
                throw ApiException.badRequest("UNKNOWN_FIELD", "unknown field '" + field
                        + "'; select with code, event_ids and/or offsets", field);
            }
        }
        Optional<RejectionCode> code = Optional.empty();
        JsonNode codeNode = body.get("code");
        if (codeNode != null && !codeNode.isNull()) {
            if (!codeNode.isTextual()) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE", "code must be a string", "code");
            }
            code = Optional.of(parseCode(codeNode.asText()));
        }
        Set<String> ids = new LinkedHashSet<>();
        JsonNode idsNode = body.get("event_ids");
        if (idsNode != null && !idsNode.isNull()) {
            if (!idsNode.isArray()) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE", "event_ids must be an array of strings", "event_ids");
            }
            for (int i = 0; i < idsNode.size(); i++) {
                JsonNode id = idsNode.get(i);
                if (!id.isTextual() || id.asText().isEmpty()) {
                    throw ApiException.badRequest("INVALID_FIELD_TYPE", "event_ids[" + i + "] must be a non-empty string",
                            "event_ids[" + i + "]");
                }
                ids.add(id.asText());
            }
        }
        Set<DeadLetterPosition> positions = new LinkedHashSet<>();
        JsonNode offsetsNode = body.get("offsets");
        if (offsetsNode != null && !offsetsNode.isNull()) {
            if (!offsetsNode.isArray()) {
                throw ApiException.badRequest("INVALID_FIELD_TYPE",
                        "offsets must be an array of {\"partition\":int,\"offset\":int}", "offsets");
            }
            for (int i = 0; i < offsetsNode.size(); i++) {
                JsonNode item = offsetsNode.get(i);
                String field = "offsets[" + i + "]";
                JsonNode partition = item.path("partition");
                JsonNode offset = item.path("offset");
                if (!item.isObject() || !partition.canConvertToInt() || !partition.isIntegralNumber()
                        || !offset.isIntegralNumber() || !offset.canConvertToLong()
                        || partition.asInt() < 0 || offset.asLong() < 0) {
                    throw ApiException.badRequest("INVALID_FIELD_TYPE",
                            field + " must be {\"partition\":int >= 0,\"offset\":int >= 0}", field);
                }
                positions.add(new DeadLetterPosition(partition.asInt(), offset.asLong()));
            }
        }
        if (code.isEmpty() && ids.isEmpty() && positions.isEmpty()) {
            throw ApiException.badRequest("EMPTY_SELECTION", "select the letters to replay with code, event_ids and/or offsets", null);
        }
        if (ids.size() > ReplaySelection.MAX_ITEMS || positions.size() > ReplaySelection.MAX_ITEMS) {
            throw ApiException.badRequest("TOO_MANY_ITEMS", "at most " + ReplaySelection.MAX_ITEMS
                    + " event ids or offsets per replay", ids.size() > ReplaySelection.MAX_ITEMS ? "event_ids" : "offsets");
        }
        return new ReplaySelection(Optional.of(projectId), code, ids, positions);
    }

    private static RejectionCode parseCode(String text) {
        try {
            return RejectionCode.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CODE", "'" + text + "' is not a reason code", "code");
        }
    }

    private static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("INVALID_LIMIT", "limit must be an integer from 1 to " + MAX_LIMIT, "limit");
    }
}
