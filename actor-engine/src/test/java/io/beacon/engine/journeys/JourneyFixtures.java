package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.journeys.FrequencyCaps;
import io.beacon.control.journeys.JourneyContext;
import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyJson;
import io.beacon.event.JourneyEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Journeys, inputs and a controllable clock for the interpreter tests. */
final class JourneyFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    /** Monday 2026-11-23 10:00 UTC. */
    static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    static final FrequencyCaps NO_CAPS = FrequencyCaps.none("shop");

    /**
     * The journey: segment {@code new_users} entered → push → wait up to 2 days for a purchase → branch on
     * plan pro → CRM update (send to hubspot and set a trait); the timeout sends a nudge.
     */
    static final String WELCOME = """
            {"id":"welcome","name":"Welcome","status":"live","journey_version":1,"priority":5,
             "trigger":{"type":"segment_entered","segment_id":"new_users"},
             "entry":"push1",
             "steps":{
               "push1":{"type":"send","destination_id":"fcm","channel":"push",
                        "template":{"title":"Hi {{traits.name}}","body":"{{journey.name}} {{step.id}}"},"next":"wait"},
               "wait":{"type":"wait_until","event":{"event":"purchase","filters":[{"property":"total","op":"gt","value":10}]},
                       "max_wait":"P2D","next":"big","timeout_next":"nudge"},
               "big":{"type":"branch","condition":{"trait":{"name":"plan","op":"eq","value":"pro"}},"then":"crm","else":"done"},
               "crm":{"type":"send","destination_id":"hubspot","channel":"crm","template":{"stage":"customer {{event.properties.total}}"},
                      "next":"mark"},
               "mark":{"type":"update_traits","set":{"welcomed":true},"next":"done"},
               "nudge":{"type":"send","destination_id":"fcm","channel":"push","template":{"title":"Still thinking?"},"next":"done"},
               "done":{"type":"exit"}},
             "exit_criteria":[{"event":{"event":"unsubscribe"}}],
             "goal":{"event":{"event":"purchase"},"window":"P7D"},
             "re_entry":{"policy":"once"}}""";

    private JourneyFixtures() {
    }

    static ObjectNode object(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JourneyDefinition parse(String text) {
        return JourneyJson.parse("shop", null, object(text), JourneyContext.unchecked());
    }

    static JourneyDefinition welcome() {
        return parse(WELCOME);
    }

    /** {@code body} with field {@code field} set to the JSON {@code value}. */
    static JourneyDefinition with(String body, String field, String value) {
        ObjectNode o = object(body);
        o.set(field, object("{\"v\":" + value + "}").get("v"));
        return JourneyJson.parse("shop", null, o, JourneyContext.unchecked());
    }

    /** A live journey {@code id} entered by event {@code signup}, with {@code steps} from {@code entry}. */
    static String graph(String id, int priority, String entry, String steps) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"status\":\"live\",\"journey_version\":1,\"priority\":" + priority
                + ",\"trigger\":{\"type\":\"event\",\"event\":\"signup\"},\"entry\":\"" + entry + "\",\"steps\":" + steps + "}";
    }

    /** A journey entered by {@code signup} that pushes once and ends. */
    static String pushOnce(String id, int priority) {
        return graph(id, priority, "p", "{\"p\":{\"type\":\"send\",\"destination_id\":\"fcm\",\"channel\":\"push\","
                + "\"template\":{\"title\":\"" + id + "\"},\"next\":\"done\"},\"done\":{\"type\":\"exit\"}}");
    }

    static JourneyVersions versions(JourneyDefinition... defs) {
        return JourneyVersions.of(List.of(defs));
    }

    static JourneyInput.Event event(String name, String eventId) {
        return new JourneyInput.Event(name, JSON.createObjectNode(), eventId);
    }

    static JourneyInput.Event event(String name, String properties, String eventId) {
        return new JourneyInput.Event(name, object(properties), eventId);
    }

    static JourneyInput.SegmentEntered entered(String segmentId, String eventId) {
        return new JourneyInput.SegmentEntered(segmentId, eventId);
    }

    static FrequencyCaps caps(Map<String, Integer> max) {
        return new FrequencyCaps("shop", max);
    }

    /** The kinds of {@code events}, with their step where they have one: {@code step_entered:push1}. */
    static List<String> kinds(List<JourneyEvent> events) {
        return events.stream().map(e -> e.kind().wireName() + (e.stepId() == null ? "" : ":" + e.stepId())
                + (e.reason() == null ? "" : "(" + e.reason() + ")")).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
