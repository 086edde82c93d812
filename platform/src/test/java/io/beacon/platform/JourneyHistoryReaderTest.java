package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneyHistoryReaderTest {

    @Test
    void shouldSelectTheRangeWithFinalAndNoJoinsOrDateTime64() {
        String sql = JourneyHistoryReader.selectSql("p'1", null, 1_793_491_200_000L, 1_796_083_199_999L);
        assertTrue(sql.startsWith("SELECT if(person_id = '', distinct_id, person_id) AS person, event_id, event_type, event_name,"), sql);
        assertTrue(sql.contains(" properties.key AS property_keys, properties.value AS property_values,"), sql);
        assertTrue(sql.contains(" FROM events FINAL WHERE project_id = 'p\\'1' AND event_date >= toDate('2026-11-01')"
                + " AND event_date <= toDate('2026-11-30') AND event_time_ms >= 1793491200000 AND event_time_ms <= 1796083199999"
                + " ORDER BY person, event_time_ms, event_id FORMAT JSONEachRow"), sql);
        assertTrue(JourneyHistoryReader.countSql("p", "u'2", 0, 1000)
                .endsWith(" AND (person_id = 'u\\'2' OR (person_id = '' AND distinct_id = 'u\\'2'))"));
    }

    @Test
    void shouldReadStoredTextBackAsTheJsonValueItSpells() {
        assertEquals(120.5, JourneyHistoryReader.value("120.5"));
        assertEquals(31, JourneyHistoryReader.value("31"));
        assertEquals(true, JourneyHistoryReader.value("true"));
        assertEquals(Map.of("os", "iOS"), JourneyHistoryReader.value("{\"os\":\"iOS\"}"));
        assertEquals(List.of(1, 2), JourneyHistoryReader.value("[1,2]"));
        assertNull(JourneyHistoryReader.value("null"));
        assertEquals("01234", JourneyHistoryReader.value("01234"));
        assertEquals("12 monkeys", JourneyHistoryReader.value("12 monkeys"));
        assertEquals("-x", JourneyHistoryReader.value("-x"));
        assertEquals("pro", JourneyHistoryReader.value("pro"));
        assertEquals("", JourneyHistoryReader.value(""));
    }
}
