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

/** The CRM actions of the audience resync and the privacy hook, and the webhook body of a deletion. */
class CrmActionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static DestinationDefinition crm(String list) {
        try {
            return DestinationJson.parseBody(JSON.readTree("{\"name\":\"crm\",\"type\":\"crm\",\"url\":\"https://crm.example.com/c\","
                    + "\"secrets\":[\"" + SECRET + "\"],\"subscriptions\":[{\"on\":\"segment_entered\",\"segment\":\"vip\"}],"
                    + "\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"}" + (list == null ? "" : ",\"list\":\"" + list + "\"") + "}}"),
                    "shop", "crm");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static OutboxMessage message(String type) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("person_id", "u1");
        return new OutboxMessage("shop", "crm", "u1", "msg_x", type, 1_000, data);
    }

    private static JsonNode body(DestinationDefinition d, OutboxMessage m) throws Exception {
        return JSON.readTree(RequestBodies.of(d, m));
    }

    @Test
    void shouldAddAResyncedMemberToTheList() throws Exception {
        assertEquals("add_to_list", RequestBodies.crmAction(crm("newsletter").crm(), message(MessageTypes.AUDIENCE_RESYNC)));
        assertEquals("{\"action\":\"add_to_list\",\"list\":\"newsletter\",\"contacts\":[{\"external_id\":\"u1\"}],\"message_id\":\"msg_x\"}",
                body(crm("newsletter"), message(MessageTypes.AUDIENCE_RESYNC)).toString());
    }

    @Test
    void shouldUpsertAResyncedMemberWhenTheDestinationHasNoList() {
        assertEquals("upsert", RequestBodies.crmAction(crm(null).crm(), message(MessageTypes.AUDIENCE_RESYNC)));
    }

    @Test
    void shouldAskTheCrmToDeleteADeletedPersonWithOrWithoutAList() throws Exception {
        assertEquals("{\"action\":\"delete\",\"list\":\"newsletter\",\"contacts\":[{\"external_id\":\"u1\"}],\"message_id\":\"msg_x\"}",
                body(crm("newsletter"), message(MessageTypes.PERSON_DELETED)).toString());
        assertEquals("{\"action\":\"delete\",\"contacts\":[{\"external_id\":\"u1\"}],\"message_id\":\"msg_x\"}",
                body(crm(null), message(MessageTypes.PERSON_DELETED)).toString());
    }

    @Test
    void shouldKeepEntriesAndExitsAsListChanges() {
        assertEquals("add_to_list", RequestBodies.crmAction(crm("newsletter").crm(), message(MessageTypes.SEGMENT_ENTERED)));
        assertEquals("remove_from_list", RequestBodies.crmAction(crm("newsletter").crm(), message(MessageTypes.SEGMENT_EXITED)));
    }
}
