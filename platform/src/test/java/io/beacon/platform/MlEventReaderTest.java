package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlEventReaderTest {

    @Test
    void shouldSelectThePersonsEventsUpToTheBoundWithoutJoinsOrDateTime64() {
        String sql = MlEventReader.selectSql("p'1", "amount", 1_796_601_600_000L, 0, 1);
        assertTrue(sql.startsWith("SELECT if(person_id = '', distinct_id, person_id) AS person, event_id, event_type, event_name,"), sql);
        assertTrue(sql.contains("indexOf(properties.key, 'amount') > 0 AS has_revenue, properties.value[indexOf(properties.key, 'amount')] AS revenue"), sql);
        assertTrue(sql.contains(" FROM events FINAL WHERE project_id = 'p\\'1' AND event_date <= toDate('2026-12-07') AND event_time_ms <= 1796601600000"
                + " ORDER BY person, event_time_ms, event_id FORMAT JSONEachRow"), sql);
        assertTrue(MlEventReader.selectSql("p", "revenue", 0, 2, 3)
                .contains(" AND cityHash64(if(person_id = '', distinct_id, person_id)) % 3 = 2 ORDER BY"));
        assertEquals("SELECT count() FROM events FINAL WHERE project_id = 'p' AND event_date <= toDate('1970-01-01') AND event_time_ms <= 0",
                MlEventReader.countSql("p", 0));
    }

    @Test
    void shouldMapRowsToEventsWithTheRevenuePropertyAndDecodedTraits() {
        String rows = """
                {"person":"u1","event_id":"e1","event_type":"identify","event_name":"$identify","event_time_ms":"1000","received_at_ms":"1500","session_id":"s1","has_revenue":0,"revenue":"","trait_keys":["platform","$set_once","age","gone"],"trait_values":["ios","{\\"os\\":\\"iOS\\"}","31","null"]}
                {"person":"u1","event_id":"e2","event_type":"track","event_name":"Order Completed","event_time_ms":2000,"received_at_ms":2100,"session_id":"","has_revenue":1,"revenue":"19.99","trait_keys":[],"trait_values":[]}
                {"person":"u2","event_id":"e3","event_type":"page","event_name":"$pageview","event_time_ms":"3000","received_at_ms":"3000","session_id":"s9","has_revenue":0,"revenue":"","trait_keys":[],"trait_values":[]}
                """;
        Map<String, List<Event>> byPerson = MlEventReader.parse(rows, "proj", "revenue");
        assertEquals(List.of("u1", "u2"), List.copyOf(byPerson.keySet()));
        Event identify = byPerson.get("u1").get(0);
        assertEquals("e1", identify.eventId());
        assertEquals("proj", identify.projectId());
        assertEquals(EventType.IDENTIFY, identify.type());
        assertEquals(1000, identify.eventTime());
        assertEquals(1500, identify.receivedAt());
        assertEquals("s1", identify.sessionId());
        assertEquals("u1", identify.personId());
        assertEquals(Map.of(), identify.properties());
        assertEquals("ios", identify.traits().get("platform"));
        assertEquals(Map.of("os", "iOS"), identify.traits().get("$set_once"));
        assertEquals("31", identify.traits().get("age"));
        assertTrue(identify.traits().containsKey("gone"));
        assertNull(identify.traits().get("gone"));
        Event order = byPerson.get("u1").get(1);
        assertEquals(Map.of("revenue", "19.99"), order.properties());
        assertNull(order.sessionId());
        assertEquals(2000, order.eventTime());
        assertEquals(EventType.PAGE, byPerson.get("u2").get(0).type());
    }

    @Test
    void shouldRefuseAnUnknownEventTypeAndALineThatIsNotJson() {
        assertEquals("unknown event_type 'teleport' in the events table", assertThrows(IllegalStateException.class,
                () -> MlEventReader.parse("{\"person\":\"u\",\"event_type\":\"teleport\"}\n", "p", "revenue")).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> MlEventReader.parse("Code: 60. DB::Exception\n", "p", "revenue"))
                .getMessage().startsWith("ClickHouse answered a line that is not JSON: Code: 60."));
    }
}
