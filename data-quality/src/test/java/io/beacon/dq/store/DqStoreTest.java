package io.beacon.dq.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.dq.DqAlert;
import io.beacon.dq.StageCount;
import io.beacon.dq.Stages;
import io.beacon.dq.count.Chunk;
import io.beacon.dq.count.CountKey;
import io.beacon.dq.loss.HourTotals;
import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data-quality statements on the real ClickHouse (18.16, and 26.x under chdb in the module's second run). */
@ExtendWith(BeaconStackExtension.class)
class DqStoreTest {
    private static final long H0 = 1_796_119_200_000L; // 2026-12-01T10:00:00Z
    private static final long HOUR = 3_600_000L;
    private ClickHouse clickhouse;
    private DqStore store;

    @BeforeEach
    void connect(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("dqstore")));
        new Migrations(clickhouse).apply();
        store = new DqStore(clickhouse);
    }

    @AfterEach
    void close() {
        clickhouse.close();
    }

    private static Event event(String id, String name, long receivedAt, Map<String, Object> properties) {
        return new Event(id, "shop", EventType.TRACK, name, "u-" + id.charAt(0), null, "s1", receivedAt, receivedAt,
                null, null, "web", null, null, null, null, null, null, null, null, null, null, null, null, null,
                "test", "1", null, null, properties, Map.of(), List.of(), "u1");
    }

    @Test
    void shouldResumeEachPartitionAtItsLastChunkAndSumCountsPerWindow() {
        Chunk a = new Chunk("t.beacon.events.raw", 0, 0);
        for (int i = 0; i < 5; i++) {
            a.add(i, new CountKey("shop", Stages.ACCEPTED, "", "buy", H0 + i * 60_000L));
        }
        a.advanceTo(7); // a transaction marker after the last record
        Chunk b = new Chunk("t.beacon.events.raw", 1, 10);
        b.add(10, new CountKey("shop", Stages.ACCEPTED, "", "view", H0 + HOUR));
        Chunk dlq = new Chunk("t.beacon.events.dlq", 0, 0);
        dlq.add(0, new CountKey("shop", Stages.DEAD_LETTERED, "INVALID_EVENT", "buy", H0));
        store.insert(List.of(a, b, dlq), H0);
        Chunk a2 = new Chunk("t.beacon.events.raw", 0, 7);
        a2.add(7, new CountKey("shop", Stages.ACCEPTED, "", "buy", H0 + 2 * 60_000L));
        store.insert(List.of(a2), H0);

        assertEquals(Map.of(0, 8L, 1, 11L), store.nextOffsets("t.beacon.events.raw"));
        assertEquals(Map.of(0, 1L), store.nextOffsets("t.beacon.events.dlq"));
        assertEquals(Map.of(), store.nextOffsets("t.beacon.events.valid"));

        // events: 4 of the 6 accepted buys stored (one twice: the sink's replay), the view stored
        List<String> rows = new ArrayList<>();
        for (String id : List.of("a1", "a2", "a3", "a4", "a4")) {
            rows.add(EventRows.toJson(event(id, "buy", H0 + 5_000, Map.of()), H0));
        }
        rows.add(EventRows.toJson(event("b1", "view", H0 + HOUR + 1_000, Map.of()), H0));
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, rows);

        List<HourTotals> totals = store.windowTotals("shop", H0, H0 + 2 * HOUR, HOUR);
        assertEquals(List.of(new HourTotals(H0, 6, 0, 1, 0, 0, 4), new HourTotals(H0 + HOUR, 1, 0, 0, 0, 0, 1)), totals);
        List<StageCount> minutes = store.counts("shop", H0, H0 + 3 * 60_000L, 60_000L);
        assertEquals(List.of(
                new StageCount("shop", Stages.ACCEPTED, "", "buy", H0, 1),
                new StageCount("shop", Stages.DEAD_LETTERED, "INVALID_EVENT", "buy", H0, 1),
                new StageCount("shop", Stages.ACCEPTED, "", "buy", H0 + 60_000L, 1),
                new StageCount("shop", Stages.ACCEPTED, "", "buy", H0 + 120_000L, 2),
                new StageCount("shop", Stages.STORED, "", "buy", H0, 4)), minutes);
        assertEquals(Set.of("a1", "a2", "a3", "a4"), store.storedIds("shop", H0, H0 + HOUR));
        assertEquals(1, store.storedUsers("shop", H0, H0 + HOUR));
        assertEquals(6, store.acceptedCounted("shop", H0, H0 + HOUR));
        assertEquals(0, store.acceptedCounted("other", H0, H0 + HOUR));
        assertEquals(List.of("shop"), store.projectsSince(H0 - HOUR));
    }

    @Test
    void shouldCountFillRatesAndWarningsOncePerEventId() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Event e = event("f" + i, "buy", H0 + i * 1_000L, i < 7 ? Map.of("amount", 5) : Map.of("other", 1));
            if (i < 3) {
                e = e.withWarnings(List.of("identity_merge_refused", "UNKNOWN_PROPERTY:other"));
            }
            rows.add(EventRows.toJson(e, H0));
        }
        rows.add(rows.get(0)); // a sink replay's copy
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, rows);

        assertEquals(Map.of("", 10L, "amount", 7L, "coupon", 0L), store.fillCounts("shop", "buy", List.of("amount", "coupon"), H0, H0 + HOUR));
        List<Map<String, String>> w = store.warnings("shop", H0, H0 + HOUR);
        assertEquals(2, w.size(), w.toString());
        assertEquals("UNKNOWN_PROPERTY:other", w.get(0).get("tag"));
        assertEquals("3", w.get(0).get("n"));
        assertEquals("identity_merge_refused", w.get(1).get("tag"));
        assertEquals(Long.toString(H0 / 1000), w.get(1).get("h"));
        assertEquals("f0", w.get(1).get("sample"));
        assertEquals(Long.toString(H0), w.get(1).get("first_ms"));
        assertEquals(Long.toString(H0 + 2_000), w.get(1).get("last_ms"));
    }

    @Test
    void shouldGiveLatencyPercentilesOfClientToServerAndTheSkewCorrection() {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long received = H0 + i * 1_000L;
            rows.add(EventRows.toJson(new Event("l" + i, "shop", EventType.TRACK, "buy", "u1", null, "s1", received - i * 100L, received,
                    received - i * 100L + 5_000L, null, "web", null, null, null, null, null, null, null, null, null, null, null, null, null,
                    "test", "1", null, null, Map.of(), Map.of(), List.of(), "u1"), H0));
        }
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, rows);

        Map<String, Long> l = store.latency("shop", H0, H0 + HOUR);
        assertEquals(3, l.get("n"));
        assertEquals(200, l.get("client_p50"), l.toString());
        assertEquals(5_000, l.get("skew_p50"), l.toString());
        assertEquals(true, l.containsKey("visible_p99"), l.toString());
        assertEquals(Map.of("n", 0L), store.latency("other", H0, H0 + HOUR), "no events, no percentiles");
    }

    @Test
    void shouldListEachStoredAlertOnceNewestFirstWithItsDetails() {
        DqAlert loss = new DqAlert("shop", "loss", "*", H0, "critical", 0.25, 0.001, "1 of 4 lost", Map.of("lost", "1"));
        DqAlert volume = new DqAlert("shop", "volume", "buy", H0 + HOUR, "warning", 6.5, 4.5, "buy: a spike", Map.of("observed", "90"));
        List<String> rows = new ArrayList<>();
        rows.add(EventRows.toJson(event(loss.eventId(), DqAlert.EVENT_NAME, H0 + 2 * HOUR, DqAlerts.properties(loss)), H0));
        rows.add(EventRows.toJson(event(loss.eventId(), DqAlert.EVENT_NAME, H0 + 2 * HOUR, DqAlerts.properties(loss)), H0));
        rows.add(EventRows.toJson(event(volume.eventId(), DqAlert.EVENT_NAME, H0 + 3 * HOUR, DqAlerts.properties(volume)), H0));
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, rows);

        JsonNode list = new DqAlerts(clickhouse).list("shop", H0, H0 + 4 * HOUR, 10);
        assertEquals(2, list.size());
        assertEquals(volume.eventId(), list.get(0).path("id").asText());
        assertEquals("volume", list.get(0).path("kind").asText());
        assertEquals("buy", list.get(0).path("subject").asText());
        assertEquals("90", list.get(0).path("details").path("observed").asText());
        assertEquals("loss", list.get(1).path("kind").asText());
        assertEquals("critical", list.get(1).path("severity").asText());
        assertEquals("2026-12-01T10:00:00Z", list.get(1).path("window_start").asText());
        assertEquals(0.25, Double.parseDouble(list.get(1).path("value").asText()));
        assertEquals("1 of 4 lost", list.get(1).path("message").asText());
        assertEquals(0, new DqAlerts(clickhouse).list("other", H0, H0 + 4 * HOUR, 10).size());
    }
}
