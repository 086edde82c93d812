package io.beacon.platform;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.RuleJson;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.control.journeys.JourneyService;
import io.beacon.control.journeys.JourneyValidator;
import io.beacon.control.journeys.Trigger;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.segments.SegmentService;
import io.beacon.engine.journeys.JourneySend;
import io.beacon.engine.journeys.JourneySimulator;
import io.beacon.engine.journeys.UserView;
import io.beacon.engine.runtime.JourneyStateReplay;
import io.beacon.engine.state.EngineSettings;
import io.beacon.event.Event;
import io.beacon.event.JourneyEvent;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.ApiRoutes;
import io.beacon.httpkit.Json;
import io.beacon.httpkit.SecretKeyAuth;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Journey dry runs (issue 19, item 5; docs/journeys.md, "Dry run"), authenticated with the project's secret key.
 * {@code POST /api/v1/journeys/{id}/simulate} with
 * <ul>
 *   <li>{@code {"user_id":"u1"[,"horizon":"P90D"]}}: the path that person would take entering now
 *       ({@link JourneySimulator#path}), their state being the replay of their whole history up to now;</li>
 *   <li>{@code {"from":"2026-11-01","to":"2026-11-30"[,"sample_paths":5]}}: a forecast over those days (dates in the
 *       project's zone, or instants) of every person with events in the range or the {@link #LOOKBACK} before it,
 *       which only builds their state ({@link JourneySimulator#forecast}).</li>
 * </ul>
 * An optional {@code "definition"} simulates an unsaved draft (checked like a create: 400 {@code INVALID_DEFINITION}
 * naming {@code definition.<field>}); without it the journey's current definition is used (404 when there is none).
 * Histories over {@code maxEvents} events are refused (400 {@code TOO_LARGE}, field {@code range} or {@code user_id}).
 * Nothing is sent and nothing is written.
 */
final class JourneySimulateRoutes extends AllDirectives {
    /** The history before {@code from} replayed into the persons' state only. */
    static final Duration LOOKBACK = Duration.ofDays(90);
    static final long MAX_EVENTS = 200_000;
    static final int DEFAULT_SAMPLE_PATHS = 5;
    static final int MAX_SAMPLE_PATHS = 50;
    private static final Set<String> FIELDS = Set.of("user_id", "from", "to", "definition", "horizon", "sample_paths");

    private final SecretKeyAuth<Project> secretKeys;
    private final JourneyService journeys;
    private final SegmentService segments;
    private final JourneyHistory history;
    private final EngineSettings settings;
    private final long maxEvents;
    private final Clock clock;
    private final Executor executor;

    JourneySimulateRoutes(ProjectDirectory projects, JourneyService journeys, SegmentService segments, JourneyHistory history,
                          EngineSettings settings, long maxEvents, Clock clock, Executor executor) {
        this.secretKeys = new SecretKeyAuth<>(projects::bySecretKey);
        this.journeys = journeys;
        this.segments = segments;
        this.history = history;
        this.settings = settings;
        this.maxEvents = maxEvents;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * The routes of a node: history from {@code clickhouse} (the client the node's insights read with; its owner closes
     * it); ClickHouse reads run on {@code executor}.
     */
    static JourneySimulateRoutes of(Config config, ControlPlane controlPlane, ClickHouse clickhouse, Executor executor) {
        return new JourneySimulateRoutes(controlPlane.projects(), controlPlane.journeys(), controlPlane.segments(),
                new JourneyHistoryReader(clickhouse), EngineSettings.fromConfig(config), MAX_EVENTS, Clock.systemUTC(), executor);
    }

    Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("journeys", () ->
                path(segment().slash("simulate"), id -> post(() ->
                        ApiRoutes.request(ControlPlaneErrors.ERRORS, secretKeys, (p, r) -> simulate(p, id, r.body())))))));
    }

    private CompletionStage<HttpResponse> simulate(Project p, String id, byte[] bytes) {
        ObjectNode body = Json.parseObject(bytes);
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw bad(f.replaceAll("\\p{Cntrl}", "?"), "unknown field (allowed: definition, from, horizon, sample_paths, to, user_id)");
            }
        });
        boolean user = present(body, "user_id");
        boolean range = present(body, "from") || present(body, "to");
        if (user && range) {
            throw bad("user_id", "give either user_id (one person's path) or from and to (a forecast), not both");
        }
        if (!user && !range) {
            throw bad("user_id", "is required, or from and to for a forecast");
        }
        JourneyDefinition def = definition(p, id, body.get("definition"));
        FrequencyCaps caps = journeys.caps(p.id());
        if (user) {
            if (present(body, "sample_paths")) {
                throw bad("sample_paths", "applies to a forecast (from and to), not to a user's path");
            }
            String userId = text(body, "user_id");
            Duration horizon = horizon(body.get("horizon"));
            return CompletableFuture.supplyAsync(() -> Json.response(200, path(p, def, caps, userId, horizon)), executor);
        }
        if (present(body, "horizon")) {
            throw bad("horizon", "applies to a user's path (user_id), not to a forecast");
        }
        long from = instant(body, "from", p.zone(), false);
        long to = instant(body, "to", p.zone(), true);
        if (to < from) {
            throw bad("to", "must not be before from");
        }
        int samples = samplePaths(body.get("sample_paths"));
        return CompletableFuture.supplyAsync(() -> Json.response(200, forecast(p, def, caps, from, to, samples)), executor);
    }

    private ObjectNode path(Project p, JourneyDefinition def, FrequencyCaps caps, String userId, Duration horizon) {
        long now = clock.millis();
        long n = history.count(p.id(), userId, 0, now);
        if (n > maxEvents) {
            throw tooLarge("user_id", "person '" + userId + "' has " + n + " events; a dry run replays at most " + maxEvents);
        }
        List<Event> events = history.read(p.id(), userId, 0, now).getOrDefault(userId, List.of());
        JourneyStateReplay replay = new JourneyStateReplay(p.id(), userId, List.of(), settings);
        events.forEach(replay::apply);
        UserView view = replay.view();
        ZoneId zone = JourneySimulator.zoneOf(view);
        JourneySimulator.Path path = JourneySimulator.path(def, view, caps, now, zone, horizon);
        ObjectNode o = head(def, "path");
        o.put("user_id", userId);
        o.put("now", Instant.ofEpochMilli(now).toString());
        o.put("horizon", horizon.toString());
        o.put("zone", zone.getId());
        o.put("history_events", events.size());
        pathJson(o, path);
        return o;
    }

    private ObjectNode forecast(Project p, JourneyDefinition def, FrequencyCaps caps, long from, long to, int samples) {
        long historyFrom = from - LOOKBACK.toMillis();
        long n = history.count(p.id(), null, historyFrom, to);
        if (n > maxEvents) {
            throw tooLarge("range", "the range and the " + LOOKBACK.toDays() + " days before it hold " + n
                    + " events; a forecast replays at most " + maxEvents + ": choose a shorter range");
        }
        Map<String, List<Event>> byPerson = history.read(p.id(), null, historyFrom, to);
        List<SegmentDefinition> trigger = new ArrayList<>();
        String segmentId = def.trigger() instanceof Trigger.SegmentEntered e ? e.segmentId()
                : def.trigger() instanceof Trigger.SegmentExited x ? x.segmentId() : null;
        if (segmentId != null) {
            segments.get(p.id(), segmentId).ifPresent(trigger::add);
        }
        JourneySimulator.Forecast f = JourneySimulator.forecast(def, byPerson, from, to, caps,
                person -> new JourneyStateReplay(p.id(), person, trigger, settings), samples);
        ObjectNode o = head(def, "forecast");
        o.put("from", Instant.ofEpochMilli(from).toString());
        o.put("to", Instant.ofEpochMilli(to).toString());
        o.put("history_from", Instant.ofEpochMilli(historyFrom).toString());
        o.put("persons", f.persons());
        o.put("history_events", f.historyEvents());
        o.put("entered_persons", f.personsEntered());
        o.put("entries", f.entries());
        counts(o.putObject("sent"), f.sent());
        counts(o.putObject("capped"), f.capped());
        o.putObject("quiet_hours").put("suppressed", f.suppressed()).put("deferred", f.deferred());
        counts(o.putObject("exited"), f.exited());
        o.put("completed", f.completed());
        o.put("converted", f.converted());
        counts(o.putObject("in_flight"), f.inFlight());
        o.put("stopped", f.stopped());
        ArrayNode paths = o.putArray("sample_paths");
        for (JourneySimulator.Path s : f.samples()) {
            ObjectNode one = paths.addObject();
            one.put("person_id", s.personId());
            pathJson(one, s);
        }
        assumptions(o, f.assumptions());
        return o;
    }

    // ---- request parts -------------------------------------------------------------------------

    private JourneyDefinition definition(Project p, String id, JsonNode given) {
        if (given == null || given.isNull()) {
            return journeys.get(p.id(), id).orElseThrow(() -> ApiException.notFound("no journey '" + id + "'"));
        }
        if (!given.isObject()) {
            throw InvalidDocumentException.of("definition", "must be a journey definition (an object)");
        }
        try {
            JourneyDefinition def = JourneyJson.parse(p.id(), id, (ObjectNode) given, journeys.context(p.id()));
            JourneyValidator.requireValid(def, journeys.context(p.id()));
            return def;
        } catch (InvalidDocumentException e) {
            List<FieldError> errors = new ArrayList<>();
            e.errors().forEach(f -> errors.add(new FieldError("definition." + f.field(), f.message())));
            throw new InvalidDocumentException(errors);
        }
    }

    private static Duration horizon(JsonNode h) {
        if (h == null || h.isNull()) {
            return JourneySimulator.DEFAULT_HORIZON;
        }
        try {
            Duration d = Duration.parse(h.asText());
            if (h.isTextual() && !d.isNegative() && !d.isZero() && d.compareTo(RuleJson.MAX_DURATION) <= 0) {
                return d;
            }
        } catch (DateTimeException notADuration) {
            // answered below
        }
        throw bad("horizon", "must be an ISO-8601 duration above zero and at most " + RuleJson.MAX_DURATION.toDays() + " days (P30D)");
    }

    private static int samplePaths(JsonNode s) {
        if (s == null || s.isNull()) {
            return DEFAULT_SAMPLE_PATHS;
        }
        if (!s.isIntegralNumber() || s.asLong() < 0 || s.asLong() > MAX_SAMPLE_PATHS) {
            throw bad("sample_paths", "must be an integer 0–" + MAX_SAMPLE_PATHS);
        }
        return s.asInt();
    }

    /** A date (the day's start, or with {@code endOfDay} its last millisecond, in {@code zone}) or an instant. */
    private static long instant(ObjectNode body, String field, ZoneId zone, boolean endOfDay) {
        if (!present(body, field)) {
            throw bad(field, "is required with " + (field.equals("from") ? "to" : "from") + " (a date 2026-11-01 or an instant)");
        }
        String t = text(body, field);
        try {
            if (t.contains("T")) {
                return Instant.parse(t).toEpochMilli();
            }
            LocalDate d = LocalDate.parse(t);
            return endOfDay ? d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1
                    : d.atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw bad(field, "must be a date (2026-11-01, in the project's zone) or an instant (2026-11-01T00:00:00Z)");
        }
    }

    private static boolean present(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    private static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad(field, "must be a non-empty string");
        }
        return v.asText();
    }

    // ---- answers -------------------------------------------------------------------------------

    private static ObjectNode head(JourneyDefinition def, String mode) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("journey_id", def.id());
        o.put("journey_version", def.journeyVersion());
        o.put("mode", mode);
        o.put("sent", false);
        return o;
    }

    private static void pathJson(ObjectNode o, JourneySimulator.Path p) {
        o.put("ending", p.ending());
        ArrayNode events = o.putArray("events");
        for (JourneyEvent e : p.events()) {
            ObjectNode one = events.addObject();
            one.put("at", Instant.ofEpochMilli(e.atMs()).toString());
            one.put("at_ms", e.atMs());
            one.put("kind", e.kind().wireName());
            one.put("entry", e.entry());
            one.put("step_id", e.stepId());
            one.put("reason", e.reason());
            one.put("channel", e.channel());
        }
        ArrayNode sends = o.putArray("sends");
        for (JourneySend s : p.sends()) {
            ObjectNode one = sends.addObject();
            one.put("at", Instant.ofEpochMilli(s.atMs()).toString());
            one.put("step_id", s.stepId());
            one.put("destination_id", s.destinationId());
            one.put("channel", s.channel());
            one.put("message_key", s.messageKey());
            ObjectNode fields = one.putObject("fields");
            s.fields().forEach(fields::put);
        }
        ArrayNode deferrals = o.putArray("deferred");
        for (JourneySimulator.Deferral d : p.deferrals()) {
            deferrals.addObject().put("step_id", d.stepId()).put("at", Instant.ofEpochMilli(d.atMs()).toString())
                    .put("until", Instant.ofEpochMilli(d.untilMs()).toString()).put("reason", "quiet_hours");
        }
        ObjectNode traits = o.putObject("trait_updates");
        p.traitUpdates().forEach(traits::set);
        assumptions(o, p.assumptions());
    }

    private static void assumptions(ObjectNode o, List<String> assumptions) {
        ArrayNode a = o.putArray("assumptions");
        assumptions.forEach(a::add);
    }

    private static void counts(ObjectNode into, Map<String, Long> counts) {
        counts.forEach(into::put);
    }

    private static ApiException bad(String field, String message) {
        return ApiException.badRequest("INVALID_REQUEST", field + " " + message, field);
    }

    private static ApiException tooLarge(String field, String message) {
        return ApiException.badRequest("TOO_LARGE", message, field);
    }
}
