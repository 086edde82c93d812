package io.beacon.analytics.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.api.internal.AnalyticsErrors;
import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.analytics.journeys.JourneyReport;
import io.beacon.control.project.Project;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The journey figures (issue 19, item 4), authenticated with the project's secret key; ClickHouse reads run on the
 * module's executor.
 * <ul>
 *   <li>{@code GET /api/v1/journeys/{id}/stats[?version=n]} → {@code {"journey_id","journey_version","entered",
 *       "active","in_flight":{step:runs},"converted","completed","exited":{reason:runs},"errors","moved",
 *       "steps":{step:{"reached","sent","capped","suppressed"}}}} (all versions when {@code version} is absent:
 *       {@code journey_version} is then {@code null});</li>
 *   <li>{@code POST /api/v1/journeys/{id}/mapping-preview} with {@code {"from_version":n,"step_mapping":{"old":"new"},
 *       "to":definition?}} → {@code {"from_version","runs_at_step":{step:runs},"moved_to":{step:runs},"moving","staying"}}:
 *       where the runs of version n in flight now would go ({@code to}: the new graph as edited, by default the
 *       current definition); a mapping naming a step either side lacks is 400 naming {@code mapping.<old>};</li>
 *   <li>{@code GET /api/v1/persons/{id}/journeys[?limit=50]} → {@code {"person_id","runs":[{"journey_id",
 *       "journey_version","entry","entered_at","last_at","step","status","reason","converted"}]}}, newest first;
 *       {@code status} is {@code active} or the kind that ended the run.</li>
 * </ul>
 * An unknown or malformed parameter answers 400 {@code INVALID_PARAMETER} naming it.
 */
public final class JourneyReportRoutes extends AllDirectives {
    private final RouteContext api;

    JourneyReportRoutes(RouteContext api) {
        this.api = api;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
                pathPrefix("journeys", () -> concat(
                        path(segment().slash("stats"), id -> get(() ->
                                optionalHeaderValueByName("Authorization", auth -> parameterMap(params ->
                                        completeWithFuture(stats(id, auth, params)))))),
                        path(segment().slash("mapping-preview"), id -> post(() ->
                                ApiRoutes.request(AnalyticsErrors.ERRORS, r -> preview(id, r)))))),
                pathPrefix("persons", () -> path(segment().slash("journeys"), id -> get(() ->
                        optionalHeaderValueByName("Authorization", auth -> parameterMap(params ->
                                completeWithFuture(runs(id, auth, params))))))))));
    }

    private CompletionStage<HttpResponse> stats(String id, Optional<String> auth, Map<String, String> params) {
        return AnalyticsErrors.ERRORS.guard(() -> {
            Project project = api.keys().authenticate(auth);
            allowOnly(params, Set.of("version"));
            OptionalInt version = params.containsKey("version") ? OptionalInt.of(integer(params, "version", 1, Integer.MAX_VALUE)) : OptionalInt.empty();
            return CompletableFuture.supplyAsync(() -> Json.response(200, statsJson(id, version,
                    api.analytics().journeys().stats(project.id(), id, version))), api.analytics().executor());
        });
    }

    private CompletionStage<HttpResponse> runs(String person, Optional<String> auth, Map<String, String> params) {
        return AnalyticsErrors.ERRORS.guard(() -> {
            Project project = api.keys().authenticate(auth);
            allowOnly(params, Set.of("limit"));
            int limit = params.containsKey("limit") ? integer(params, "limit", 1, 500) : 50;
            return CompletableFuture.supplyAsync(() -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                o.put("person_id", person);
                ArrayNode items = o.putArray("runs");
                for (JourneyReport.Run r : api.analytics().journeys().runsOf(project.id(), person, limit)) {
                    ObjectNode item = items.addObject();
                    item.put("journey_id", r.journeyId());
                    item.put("journey_version", r.journeyVersion());
                    item.put("entry", r.entry());
                    item.put("entered_at", Instant.ofEpochMilli(r.enteredAtMs()).toString());
                    item.put("last_at", Instant.ofEpochMilli(r.lastAtMs()).toString());
                    item.put("step", r.step());
                    item.put("status", r.status());
                    if (r.reason() == null) {
                        item.putNull("reason");
                    } else {
                        item.put("reason", r.reason());
                    }
                    item.put("converted", r.converted());
                }
                return Json.response(200, o);
            }, api.analytics().executor());
        });
    }

    private CompletionStage<HttpResponse> preview(String id, ApiRoutes.Request request) {
        Project project = api.keys().authenticate(request.authorization());
        ObjectNode body = Json.parseObject(request.body());
        for (String f : iterable(body.fieldNames())) {
            if (!Set.of("from_version", "step_mapping", "to").contains(f)) {
                throw ApiException.badRequest("INVALID_REQUEST", "unknown field (allowed: from_version, step_mapping, to)", f.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        JsonNode from = body.get("from_version");
        if (from == null || !from.canConvertToInt() || !from.isIntegralNumber() || from.asInt() < 1) {
            throw ApiException.badRequest("INVALID_REQUEST", "from_version must be an integer of at least 1", "from_version");
        }
        JsonNode m = body.get("step_mapping");
        if (m == null || !m.isObject()) {
            throw ApiException.badRequest("INVALID_REQUEST", "step_mapping must be an object of old step id to new step id", "step_mapping");
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : iterable(m.fields())) {
            if (!e.getValue().isTextual()) {
                throw ApiException.badRequest("INVALID_REQUEST", "must be a step id (a string)", "step_mapping." + e.getKey());
            }
            mapping.put(e.getKey(), e.getValue().asText());
        }
        JsonNode to = body.get("to");
        if (to != null && !to.isNull() && !to.isObject()) {
            throw ApiException.badRequest("INVALID_REQUEST", "to must be a journey definition (an object)", "to");
        }
        ObjectNode toBody = to != null && to.isObject() ? (ObjectNode) to : null;
        int fromVersion = from.asInt();
        return CompletableFuture.supplyAsync(() -> {
            JourneyReport.MappingPreview p = api.analytics().journeys().preview(project.id(), id, fromVersion, mapping, toBody);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("from_version", p.fromVersion());
            ObjectNode at = o.putObject("runs_at_step");
            new TreeMap<>(p.runsAtStep()).forEach(at::put);
            ObjectNode moved = o.putObject("moved_to");
            p.preview().movedTo().forEach(moved::put);
            o.put("moving", p.preview().moving());
            o.put("staying", p.preview().staying());
            return Json.response(200, o);
        }, api.analytics().executor());
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }

    static ObjectNode statsJson(String id, OptionalInt version, JourneyReport.Stats s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("journey_id", id);
        if (version.isPresent()) {
            o.put("journey_version", version.getAsInt());
        } else {
            o.putNull("journey_version");
        }
        o.put("entered", s.entered());
        o.put("active", s.active());
        ObjectNode inFlight = o.putObject("in_flight");
        s.inFlight().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> inFlight.put(e.getKey(), e.getValue()));
        o.put("converted", s.converted());
        o.put("completed", s.completed());
        ObjectNode exited = o.putObject("exited");
        s.exitedBy().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> exited.put(e.getKey(), e.getValue()));
        o.put("errors", s.errors());
        o.put("moved", s.moved());
        ObjectNode steps = o.putObject("steps");
        s.steps().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> steps.putObject(e.getKey())
                .put("reached", e.getValue().reached()).put("sent", e.getValue().sent())
                .put("capped", e.getValue().capped()).put("suppressed", e.getValue().suppressed()));
        return o;
    }

    private static void allowOnly(Map<String, String> params, Set<String> allowed) {
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("INVALID_PARAMETER", "unknown parameter (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")",
                        name.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }

    private static int integer(Map<String, String> params, String name, int min, int max) {
        String raw = params.get(name);
        try {
            long v = Long.parseLong(raw);
            if (v >= min && v <= max) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("INVALID_PARAMETER", name + " must be an integer " + min + "–" + max, name);
    }
}
