package io.beacon.control.journeys;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import java.util.List;
import java.util.Set;

/** Journey documents for the tests: the welcome journey and small graphs around it. */
final class JourneyFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JourneyContext CONTEXT = JourneyContext.of(Set.of("fcm", "hubspot"), Set.of("new_users", "vip"));

    /** Segment entered → push → wait up to 2 days for a purchase → branch → CRM update, with every optional field. */
    static final String WELCOME = """
            {"id":"welcome","name":"Welcome","description":"First week",
             "status":"live","journey_version":3,"priority":5,
             "trigger":{"type":"segment_entered","segment_id":"new_users"},
             "entry":"push1",
             "steps":{
               "push1":{"type":"send","destination_id":"fcm","channel":"push",
                        "template":{"title":"Hi {{traits.name}}","body":"{{journey.name}} step {{step.id}}"},"next":"wait"},
               "wait":{"type":"wait_until","event":{"event":"purchase","filters":[{"property":"total","op":"gt","value":10}]},
                       "max_wait":"P2D","next":"big","timeout_next":"nudge"},
               "big":{"type":"branch","condition":{"trait":{"name":"plan","op":"eq","value":"pro"}},"then":"crm","else":"done"},
               "nudge":{"type":"delay","until_local_time":"09:00","next":"ab"},
               "ab":{"type":"random_split","branches":[{"percent":30,"next":"crm"},{"percent":70,"next":"pause"}]},
               "pause":{"type":"delay","duration":"PT12H","next":"done"},
               "crm":{"type":"update_traits","set":{"welcomed":true,"tier":"gold"},"next":"done"},
               "done":{"type":"exit"}},
             "exit_criteria":[{"event":{"event":"unsubscribe"}},{"condition":{"score":{"name":"churn_risk","op":"gte","value":0.9}}}],
             "goal":{"event":{"event":"purchase"},"window":"P7D"},
             "re_entry":{"policy":"after","cooldown":"P30D"},
             "quiet_hours":{"start":"22:00","end":"08:00","action":"skip"},
             "pause_behaviour":"continue"}""";

    private JourneyFixtures() {
    }

    static ObjectNode object(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode welcome() {
        return object(WELCOME);
    }

    /** A minimal journey around {@code steps} (a JSON object text) entered at {@code entry}. */
    static ObjectNode graph(String entry, String steps) {
        return object("{\"name\":\"G\",\"trigger\":{\"type\":\"event\",\"event\":\"signup\"},\"entry\":\"" + entry
                + "\",\"steps\":" + steps + "}");
    }

    /** {@code body} read in project {@code shop}; a body without an id gets {@code j1} (as from the path). */
    static JourneyDefinition parse(ObjectNode body) {
        return JourneyJson.parse("shop", body.has("id") ? null : "j1", body, CONTEXT);
    }

    /** The errors of a body that must be refused. */
    static List<FieldError> errors(ObjectNode body) {
        return assertThrows(InvalidDocumentException.class, () -> parse(body)).errors();
    }

    /** The fields the errors of a refused body name, in order. */
    static List<String> fields(ObjectNode body) {
        return errors(body).stream().map(FieldError::field).toList();
    }

    /** The one error of a refused body that names {@code field}. */
    static FieldError error(ObjectNode body, String field) {
        List<FieldError> all = errors(body);
        return all.stream().filter(e -> e.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + field + " in " + all));
    }
}
