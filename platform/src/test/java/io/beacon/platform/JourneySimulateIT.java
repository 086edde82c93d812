package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JourneyHistoryReader} on a real ClickHouse (18.16; 26.x under chdb): events stored the way the sink stores
 * them, a replayed copy merged away by FINAL, another project's and out-of-range events left out, properties and
 * traits read back as the JSON values they were.
 */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JourneySimulateIT {
    private ClickHouse ch;
    private JourneyHistoryReader reader;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Event event(String project, String id, String person, String name, String instant, Map<String, Object> properties,
                               Map<String, Object> traits) {
        long t = at(instant);
        return new Event(id, project, traits.isEmpty() ? EventType.TRACK : EventType.IDENTIFY, name, person, "anon-" + person, "s-" + person,
                t, t + 500, null, null, "web", null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, properties, traits, null, person);
    }

    @BeforeAll
    void store(TestStack stack) {
        String database = stack.uniqueName("journey_simulate");
        ch = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), database));
        new Migrations(ch).apply();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("total", 120.5);
        order.put("coupon", "X1");
        order.put("first", true);
        order.put("zip", "01234");
        List<Event> events = List.of(
                event("shop", "e1", "u1", "$identify", "2026-10-30T08:00:00Z", Map.of(), Map.of("timezone", "Europe/Berlin", "age", 31)),
                event("shop", "e2", "u1", "purchase", "2026-11-03T10:00:00Z", order, Map.of()),
                event("shop", "e3", "u2", "signup", "2026-11-02T09:00:00Z", Map.of(), Map.of()),
                event("shop", "e4", "u2", "signup", "2026-12-05T09:00:00Z", Map.of(), Map.of()),
                event("other", "x1", "u1", "purchase", "2026-11-03T10:00:00Z", order, Map.of()));
        List<String> rows = new ArrayList<>();
        for (Event e : events) {
            rows.add(EventRows.toJson(e, e.receivedAt()));
        }
        rows.add(EventRows.toJson(events.get(1), events.get(1).receivedAt() + 5_000)); // a sink replay's copy
        ch.insertJsonEachRow("events", rows);
        reader = new JourneyHistoryReader(ch);
    }

    @AfterAll
    void close() {
        ch.close();
    }

    @Test
    void shouldReadTheProjectsEventsInTheRangePerPersonInTimeOrderWithTypedProperties() {
        long from = at("2026-10-01T00:00:00Z");
        long to = at("2026-11-30T23:59:59Z");

        Map<String, List<Event>> byPerson = reader.read("shop", null, from, to);

        assertEquals(3, reader.count("shop", null, from, to));
        assertEquals(List.of("u1", "u2"), List.copyOf(byPerson.keySet()));
        assertEquals(List.of("e1", "e2"), byPerson.get("u1").stream().map(Event::eventId).toList());
        assertEquals(List.of("e3"), byPerson.get("u2").stream().map(Event::eventId).toList());
        Event purchase = byPerson.get("u1").get(1);
        assertEquals(at("2026-11-03T10:00:00Z"), purchase.eventTime());
        assertEquals(120.5, purchase.properties().get("total"));
        assertEquals("X1", purchase.properties().get("coupon"));
        assertEquals(true, purchase.properties().get("first"));
        assertEquals("01234", purchase.properties().get("zip"));
        assertEquals("Europe/Berlin", byPerson.get("u1").get(0).traits().get("timezone"));
        assertEquals(31, byPerson.get("u1").get(0).traits().get("age"));
        assertEquals(EventType.IDENTIFY, byPerson.get("u1").get(0).type());
    }

    @Test
    void shouldReadOnePersonsHistory() {
        Map<String, List<Event>> u2 = reader.read("shop", "u2", 0, at("2026-12-31T00:00:00Z"));

        assertEquals(List.of("u2"), List.copyOf(u2.keySet()));
        assertEquals(List.of("e3", "e4"), u2.get("u2").stream().map(Event::eventId).toList());
        assertEquals(2, reader.count("shop", "u2", 0, at("2026-12-31T00:00:00Z")));
    }
}
