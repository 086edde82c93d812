package io.beacon.cdp.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import org.junit.jupiter.api.Test;

/** The bodies of a journey's {@code journey.send} at a push and a CRM destination. */
class JourneySendBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static DestinationDefinition destination(String json, String id) throws Exception {
        return DestinationJson.parseBody(JSON.readTree(json), "shop", id);
    }

    private static OutboxMessage journeySend(String destination, boolean withTitle) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("person_id", "u1");
        data.putObject("journey").put("id", "welcome").put("version", 2).put("entry", 1).put("step", "nudge");
        data.put("channel", "push");
        ObjectNode fields = data.putObject("fields");
        if (withTitle) {
            fields.put("title", "Your cart misses you, Ada");
        }
        fields.put("body", "10% off until Friday");
        data.putObject("traits").put("push_token", "tok-1").put("email", "ada@example.com");
        return new OutboxMessage("shop", destination, "u1", "msg_j", MessageTypes.JOURNEY_SEND, 1_000, data);
    }

    @Test
    void shouldUseTheStepsRenderedFieldsAndTheDestinationsTemplateForTheRest() throws Exception {
        DestinationDefinition push = destination("{\"name\":\"push\",\"type\":\"push\",\"url\":\"https://push.example.com/send\","
                + "\"secrets\":[\"" + SECRET + "\"],\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"}],"
                + "\"template\":{\"title\":\"Hello {{traits.email}}\",\"body\":\"default body\"}}", "push");

        JsonNode withTitle = JSON.readTree(RequestBodies.of(push, journeySend("push", true)));
        assertEquals("tok-1", withTitle.path("message").path("token").asText(), "the token is the user's trait at the send");
        assertEquals("Your cart misses you, Ada", withTitle.path("message").path("notification").path("title").asText());
        assertEquals("10% off until Friday", withTitle.path("message").path("notification").path("body").asText());
        assertEquals("journey.send", withTitle.path("message").path("data").path("type").asText());
        assertEquals("msg_j", withTitle.path("message").path("data").path("message_id").asText());

        JsonNode withoutTitle = JSON.readTree(RequestBodies.of(push, journeySend("push", false)));
        assertEquals("Hello ada@example.com", withoutTitle.path("message").path("notification").path("title").asText(),
                "a field the step does not render comes from the destination's template");
    }

    @Test
    void shouldUpsertTheContactWithItsMappedTraitsForAJourneysCrmStep() throws Exception {
        DestinationDefinition crm = destination("{\"name\":\"crm\",\"type\":\"crm\",\"url\":\"https://crm.example.com/c\","
                + "\"secrets\":[\"" + SECRET + "\"],\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"}],"
                + "\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"},\"list\":\"newsletter\"}}", "crm");

        assertEquals("{\"action\":\"upsert\",\"list\":\"newsletter\",\"contacts\":[{\"external_id\":\"u1\",\"email\":\"ada@example.com\"}],"
                + "\"message_id\":\"msg_j\"}", JSON.readTree(RequestBodies.of(crm, journeySend("crm", true))).toString());
    }
}
