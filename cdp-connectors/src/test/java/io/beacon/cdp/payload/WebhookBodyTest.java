package io.beacon.cdp.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookBodyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static OutboxMessage message(long createdAtMs) throws Exception {
        ObjectNode data = (ObjectNode) MAPPER.readTree("{\"segment_id\":\"vip\",\"person_id\":\"p1\",\"traits\":{\"plan\":\"pro\",\"n\":3}}");
        return new OutboxMessage("shop", "crm-1", "p1", "msg_abc", MessageTypes.SEGMENT_ENTERED, createdAtMs, data);
    }

    @Test
    void shouldWriteTypeTimestampAndDataAsCompactJson() throws Exception {
        byte[] body = WebhookBody.of(message(1614265330123L));

        assertEquals("{\"type\":\"segment.entered\",\"timestamp\":\"2021-02-25T15:02:10.123Z\","
                + "\"data\":{\"segment_id\":\"vip\",\"person_id\":\"p1\",\"traits\":{\"plan\":\"pro\",\"n\":3}}}",
                new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void shouldAlwaysWriteMillisecondsInUtc() {
        assertEquals("2021-02-25T15:02:10.000Z", WebhookBody.timestamp(1614265330000L));
        assertEquals("1970-01-01T00:00:00.000Z", WebhookBody.timestamp(0));
    }

    @Test
    void shouldSendTheSameBytesOnEveryAttemptEvenAfterTheMessageWentThroughTheTopic() throws Exception {
        OutboxMessage m = message(1614265330123L);
        OutboxMessage fromTopic = CdpCodec.decodeMessage(CdpCodec.encode(m));
        OutboxMessage afterRetry = CdpCodec.decodeMessage(CdpCodec.encode(fromTopic));

        assertArrayEquals(WebhookBody.of(m), WebhookBody.of(fromTopic));
        assertArrayEquals(WebhookBody.of(m), WebhookBody.of(afterRetry));
    }

    @Test
    void shouldKeepUnicodeAndEscapesValidJson() throws Exception {
        ObjectNode data = MAPPER.createObjectNode().put("name", "Zoë \"the\" ☃");
        OutboxMessage m = new OutboxMessage("shop", "d", "p", "msg_x", MessageTypes.TEST_MESSAGE, 0, data);

        JsonNode parsed = MAPPER.readTree(WebhookBody.of(m));

        assertEquals("Zoë \"the\" ☃", parsed.path("data").path("name").asText());
        assertEquals("test.message", parsed.path("type").asText());
    }
}
