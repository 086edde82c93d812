package io.beacon.cdp.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.control.destinations.DestinationType;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonDeletionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static DestinationDefinition destination(String project, String id, String type) {
        String extra = switch (type) {
            case "crm" -> ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"}}";
            case "push" -> ",\"template\":{\"title\":\"Hi\",\"body\":\"{{segment.name}}\"}";
            default -> "";
        };
        try {
            return DestinationJson.parseBody(JSON.readTree("{\"name\":\"" + id + "\",\"type\":\"" + type + "\","
                    + "\"url\":\"https://receiver.example.com/hook\",\"secrets\":[\"" + SECRET + "\"],\"subscriptions\":[]"
                    + extra + "}"), project, id);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final List<DestinationDefinition> ALL = List.of(
            destination("shop", "zz-hook", "webhook"),
            destination("shop", "crm", "crm"),
            destination("shop", "push", "push"),
            destination("shop", "off", "webhook").withEnabled(false, "410"),
            destination("blog", "blog-hook", "webhook"));

    @Test
    void shouldSendOneMessagePerEnabledWebhookAndCrmDestinationOfTheProjectInIdOrder() {
        List<OutboxMessage> ms = PersonDeletion.messages(ALL, "shop", "u1", "req-1", 1_000);
        assertEquals(List.of("crm", "zz-hook"), ms.stream().map(OutboxMessage::destinationId).toList());
        for (OutboxMessage m : ms) {
            assertEquals(MessageTypes.PERSON_DELETED, m.type());
            assertEquals("shop", m.projectId());
            assertEquals("u1", m.personId());
            assertEquals(1_000, m.createdAtMs());
            assertEquals("{\"person_id\":\"u1\",\"request_id\":\"req-1\",\"requested_at\":\"1970-01-01T00:00:01Z\"}", m.data().toString());
            assertEquals(PersonDeletion.messageId(m.destinationId(), "shop", "u1", "req-1"), m.messageId());
        }
    }

    @Test
    void shouldSkipPushDestinationsForTheyHoldNoPerson() {
        assertFalse(PersonDeletion.receives(DestinationType.PUSH));
        assertTrue(PersonDeletion.receives(DestinationType.WEBHOOK));
        assertTrue(PersonDeletion.receives(DestinationType.CRM));
        assertEquals(List.of(), PersonDeletion.messages(List.of(destination("shop", "push", "push")), "shop", "u1", "req-1", 1_000));
    }

    @Test
    void shouldGiveTheSameIdsForTheSameRequestIdAndOthersForAnotherRequest() {
        List<String> first = PersonDeletion.messages(ALL, "shop", "u1", "req-1", 1_000).stream().map(OutboxMessage::messageId).toList();
        List<String> again = PersonDeletion.messages(ALL, "shop", "u1", "req-1", 5_000).stream().map(OutboxMessage::messageId).toList();
        List<String> other = PersonDeletion.messages(ALL, "shop", "u1", "req-2", 1_000).stream().map(OutboxMessage::messageId).toList();
        assertEquals(first, again);
        assertNotEquals(first.get(0), other.get(0));
        assertNotEquals(first.get(1), other.get(1));
        assertNotEquals(first.get(0), first.get(1));
    }

    @Test
    void shouldSendNothingForAProjectWithoutDestinations() {
        assertEquals(List.of(), PersonDeletion.messages(ALL, "nobody", "u1", "req-1", 1_000));
    }
}
