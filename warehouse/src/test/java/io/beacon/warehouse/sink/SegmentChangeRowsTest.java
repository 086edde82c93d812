package io.beacon.warehouse.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentChangeRowsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldMapAnEntryAndATimeCausedExit() {
        Map<String, Object> entered = SegmentChangeRows.row(bytes("{\"project_id\":\"shop\",\"person_id\":\"u1\",\"segment_id\":\"buyers\","
                + "\"segment_version\":3,\"change\":\"entered\",\"at\":\"2026-11-27T10:17:23.456Z\",\"at_ms\":1795774643456,"
                + "\"cause\":\"event\",\"event_id\":\"e9\"}"), 1_795_774_650_000L);
        assertEquals("shop", entered.get("project_id"));
        assertEquals("buyers", entered.get("segment_id"));
        assertEquals("u1", entered.get("person_id"));
        assertEquals(1, entered.get("change"));
        assertEquals(1_795_774_643L, entered.get("at"));
        assertEquals(1_795_774_643_456L, entered.get("at_ms"));
        assertEquals("event", entered.get("cause"));
        assertEquals(3L, entered.get("segment_version"));
        assertEquals("e9", entered.get("event_id"));
        assertEquals(1_795_774_650L, entered.get("inserted_at"));

        Map<String, Object> exited = SegmentChangeRows.row(bytes("{\"project_id\":\"shop\",\"person_id\":\"u1\",\"segment_id\":\"active\","
                + "\"segment_version\":0,\"change\":\"exited\",\"at_ms\":1000,\"cause\":\"time\",\"event_id\":null}"), 0);
        assertEquals(-1, exited.get("change"));
        assertEquals("", exited.get("event_id"));
        assertEquals(1L, exited.get("at"));
    }

    @Test
    void shouldRefuseValuesThatAreNotChanges() {
        String ok = "\"project_id\":\"p\",\"person_id\":\"u\",\"segment_id\":\"s\",\"segment_version\":1,\"at_ms\":5,\"cause\":\"event\"";
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(null, 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("{oops"), 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("[1]"), 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("{" + ok + ",\"change\":\"joined\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("{" + ok.replace("\"event\"", "\"cron\"") + ",\"change\":\"entered\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("{" + ok.replace("\"at_ms\":5", "\"at_ms\":-5") + ",\"change\":\"entered\"}"), 0));
        assertThrows(IllegalArgumentException.class, () -> SegmentChangeRows.row(bytes("{" + ok.replace("\"p\"", "\"\"") + ",\"change\":\"entered\"}"), 0));
    }
}
