package io.beacon.warehouse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.DeliveryAttempt.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryRowsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMapADeliveredAttemptWithEveryColumn() {
        DeliveryAttempt a = new DeliveryAttempt("shop", "dst_crm", "u1", "msg_1", "segment.entered", 2, 1_795_774_643_456L,
                200, Outcome.DELIVERED, 87, null, "{\"ok\":true}");
        Map<String, Object> row = DeliveryRows.row(CdpCodec.encode(a), 1_795_774_650_000L);
        assertEquals(Map.ofEntries(Map.entry("project_id", "shop"), Map.entry("destination_id", "dst_crm"),
                Map.entry("message_id", "msg_1"), Map.entry("attempt", 2), Map.entry("person_id", "u1"),
                Map.entry("type", "segment.entered"), Map.entry("at", 1_795_774_643L), Map.entry("at_ms", 1_795_774_643_456L),
                Map.entry("status", 200), Map.entry("outcome", "delivered"), Map.entry("latency_ms", 87L),
                Map.entry("error", ""), Map.entry("response_body", "{\"ok\":true}"), Map.entry("inserted_at", 1_795_774_650L)), row);
    }

    @Test
    void shouldWriteAbsentStringsAsEmptyAndCutAnOverlongBody() {
        String body = "x".repeat(CdpCodec.MAX_RESPONSE_BODY + 500);
        String json = "{\"project_id\":\"p\",\"destination_id\":\"d\",\"person_id\":null,\"message_id\":\"m\",\"type\":null,"
                + "\"attempt\":1,\"at_ms\":1000,\"status\":0,\"outcome\":\"retry\",\"latency_ms\":15000,"
                + "\"error\":\"timeout after 15 s\",\"response_body\":\"" + body + "\"}";
        Map<String, Object> row = DeliveryRows.row(bytes(json), 0);
        assertEquals("", row.get("person_id"));
        assertEquals("", row.get("type"));
        assertEquals(0, row.get("status"));
        assertEquals("retry", row.get("outcome"));
        assertEquals("timeout after 15 s", row.get("error"));
        assertEquals(CdpCodec.MAX_RESPONSE_BODY, ((String) row.get("response_body")).length());
        assertEquals(1L, row.get("at"));
    }

    @Test
    void shouldRefuseValuesThatAreNotAttempts() {
        String ok = "\"project_id\":\"p\",\"destination_id\":\"d\",\"message_id\":\"m\",\"at_ms\":5,\"status\":503,\"latency_ms\":3";
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(null, 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{oops"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("[1]"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok + ",\"attempt\":1,\"outcome\":\"lost\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok + ",\"attempt\":0,\"outcome\":\"retry\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok.replace("\"at_ms\":5", "\"at_ms\":-5")
                + ",\"attempt\":1,\"outcome\":\"retry\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok.replace("\"latency_ms\":3", "\"latency_ms\":-1")
                + ",\"attempt\":1,\"outcome\":\"retry\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok.replace("503", "70000")
                + ",\"attempt\":1,\"outcome\":\"retry\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok.replace("\"d\"", "\"\"")
                + ",\"attempt\":1,\"outcome\":\"retry\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> DeliveryRows.row(bytes("{" + ok.replace("\"message_id\":\"m\",", "")
                + ",\"attempt\":1,\"outcome\":\"retry\"}"), 0));
    }
}
