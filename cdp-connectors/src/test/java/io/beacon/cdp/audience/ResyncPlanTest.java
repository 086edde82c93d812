package io.beacon.cdp.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.event.RefusedException;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResyncPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VIP_AND_CHURN = "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},"
            + "{\"on\":\"segment_exited\",\"segment\":\"vip\"},{\"on\":\"segment_entered\",\"segment\":\"churn\"}]";

    static DestinationDefinition destination(String id, String type, String extra, String subscriptions) {
        try {
            return DestinationJson.parseBody(JSON.readTree("{\"name\":\"" + id + "\",\"type\":\"" + type + "\","
                    + "\"url\":\"https://receiver.example.com/hook\",\"secrets\":[\"" + SECRET + "\"],"
                    + "\"subscriptions\":" + subscriptions + extra + "}"), "shop", id);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static DestinationDefinition crm(String id, String list, String subscriptions) {
        String crm = ",\"crm\":{\"field_mapping\":{\"email\":\"traits.email\"}" + (list == null ? "" : ",\"list\":\"" + list + "\"") + "}";
        return destination(id, "crm", crm, subscriptions);
    }

    private static RefusedException refusal(DestinationDefinition d, String resyncId) {
        return assertThrows(RefusedException.class, () -> ResyncPlan.of(d, resyncId));
    }

    @Test
    void shouldResyncTheSegmentsOfTheEntrySubscriptionsInOrder() {
        ResyncPlan plan = ResyncPlan.of(crm("crm", "newsletter", VIP_AND_CHURN), "rs_1");
        assertEquals(List.of("vip", "churn"), plan.segments());
        assertEquals("rs_1", plan.resyncId());
    }

    @Test
    void shouldRefuseAWebhookDestinationNamingTheTypeField() {
        RefusedException e = refusal(destination("hook", "webhook", "", VIP_AND_CHURN), "rs_1");
        assertEquals(RefusedException.Kind.INVALID, e.kind());
        assertEquals("NOT_A_CRM_DESTINATION", e.code());
        assertEquals("type", e.field());
    }

    @Test
    void shouldRefuseACrmDestinationWithoutAListNamingTheListField() {
        RefusedException e = refusal(crm("crm", null, VIP_AND_CHURN), "rs_1");
        assertEquals("NO_AUDIENCE_LIST", e.code());
        assertEquals("crm.list", e.field());
    }

    @Test
    void shouldRefuseACrmDestinationWithoutASegmentEntrySubscriptionNamingTheSubscriptionsField() {
        RefusedException e = refusal(crm("crm", "newsletter", "[{\"on\":\"segment_exited\",\"segment\":\"vip\"},"
                + "{\"on\":\"event\",\"event\":\"Order Completed\"}]"), "rs_1");
        assertEquals("NO_SEGMENT_SUBSCRIPTION", e.code());
        assertEquals("subscriptions", e.field());
    }

    @Test
    void shouldRefuseADisabledDestinationNamingTheEnabledField() {
        DestinationDefinition d = crm("crm", "newsletter", VIP_AND_CHURN).withEnabled(false, "410 Gone from the receiver");
        RefusedException e = refusal(d, "rs_1");
        assertEquals("DESTINATION_DISABLED", e.code());
        assertEquals("enabled", e.field());
        assertTrue(e.getMessage().contains("410 Gone"), e.getMessage());
    }

    @Test
    void shouldRefuseAMalformedResyncIdNamingTheResyncIdField() {
        assertEquals("resync_id", refusal(crm("crm", "newsletter", VIP_AND_CHURN), "has spaces").field());
        assertEquals("resync_id", refusal(crm("crm", "newsletter", VIP_AND_CHURN), "").field());
        assertEquals("resync_id", refusal(crm("crm", "newsletter", VIP_AND_CHURN), "x".repeat(129)).field());
    }

    @Test
    void shouldGiveTheSameIdForTheSameResyncIdAndAnotherForAnotherResyncSegmentPersonOrDestination() {
        ResyncPlan plan = ResyncPlan.of(crm("crm", "newsletter", VIP_AND_CHURN), "rs_1");
        OutboxMessage first = plan.message("vip", "VIP", "u1", 1_000);
        OutboxMessage retried = ResyncPlan.of(crm("crm", "newsletter", VIP_AND_CHURN), "rs_1").message("vip", "VIP", "u1", 9_000);
        assertEquals(first.messageId(), retried.messageId());
        assertEquals(ResyncPlan.messageId("crm", "shop", "vip", "u1", "rs_1"), first.messageId());
        assertNotEquals(first.messageId(), ResyncPlan.of(crm("crm", "newsletter", VIP_AND_CHURN), "rs_2").message("vip", "VIP", "u1", 1_000).messageId());
        assertNotEquals(first.messageId(), plan.message("churn", "Churn", "u1", 1_000).messageId());
        assertNotEquals(first.messageId(), plan.message("vip", "VIP", "u2", 1_000).messageId());
        assertNotEquals(first.messageId(), ResyncPlan.messageId("crm2", "shop", "vip", "u1", "rs_1"));
        assertTrue(first.messageId().matches("msg_[a-z2-7]{26}"), first.messageId());
    }

    @Test
    void shouldBuildAnAudienceResyncMessageForThePersonKeyedLikeItsOtherMessages() {
        OutboxMessage m = ResyncPlan.of(crm("crm", "newsletter", VIP_AND_CHURN), "rs_1").message("vip", null, "u1", 1_000);
        assertEquals(MessageTypes.AUDIENCE_RESYNC, m.type());
        assertEquals("shop:crm:u1", m.key());
        assertEquals(1_000, m.createdAtMs());
        assertEquals("{\"person_id\":\"u1\",\"segment\":{\"id\":\"vip\",\"name\":null},\"resync_id\":\"rs_1\"}", m.data().toString());
    }
}
