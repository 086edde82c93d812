package io.beacon.warehouse.widening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.EventFixtures;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class PromotedColumnsTest {

    private static final long INSERTED_AT = EventFixtures.RECEIVED_AT + 1_000;

    private ClickHouse clickhouse;
    private final List<PromotedColumns> opened = new ArrayList<>();

    @BeforeEach
    void migrate(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("widen")));
        new Migrations(clickhouse).apply();
    }

    @AfterEach
    void close() {
        opened.forEach(PromotedColumns::close);
        clickhouse.close();
    }

    @Test
    void shouldAddANullableFloatColumnWhenANumericPropertyIsPromoted() {
        PromotedColumns columns = open();

        PromotionOutcome outcome = columns.promote(new Promotion("shop", "amount", PromotedType.NUMBER)).join();

        assertEquals(PromotionOutcome.Status.COLUMN_ADDED, outcome.status());
        assertEquals("p_amount", outcome.column());
        assertEquals("Nullable(Float64)", columnType("events", "p_amount"));
        assertEquals("Nullable(Float64)", columnType("events_dedup", "p_amount"), "the view was re-created with the column");
        assertEquals("shop", columns.snapshot().promotion("shop", "amount").orElseThrow().projectId());
    }

    @Test
    void shouldAverageTheCoercedValuesOfAPromotedColumn() {
        PromotedColumns columns = open();
        columns.promote(new Promotion("shop", "amount", PromotedType.NUMBER)).join();

        insert(columns.snapshot(),
                event("shop", "e1", Map.of("amount", 10)),
                event("shop", "e2", Map.of("amount", 20.5)),
                event("shop", "e3", Map.of("amount", "30")),
                event("shop", "e4", Map.of("amount", 39.5)),
                event("shop", "e5", Map.of("amount", "abc")),
                event("shop", "e6", Map.of("other", 1)));

        assertEquals("25", clickhouse.query("SELECT avg(p_amount) FROM events FINAL WHERE project_id = 'shop'").single());
        assertEquals(2, clickhouse.queryLong("SELECT count() FROM events FINAL WHERE project_id = 'shop' AND p_amount IS NULL"));
        assertEquals("25", clickhouse.query("SELECT avg(p_amount) FROM events_dedup WHERE project_id = 'shop'").single());
    }

    @Test
    void shouldDoNothingWhenTheSamePropertyIsPromotedTwice() {
        PromotedColumns columns = open();
        Promotion amount = new Promotion("shop", "amount", PromotedType.NUMBER);
        columns.promote(amount).join();

        PromotionOutcome second = columns.promote(amount).join();

        assertEquals(PromotionOutcome.Status.UNCHANGED, second.status());
        assertEquals(1, clickhouse.queryLong("SELECT count() FROM system.columns WHERE database = currentDatabase()"
                + " AND table = 'events' AND name LIKE 'p\\\\_%'"));
        assertEquals(1, clickhouse.queryLong("SELECT count() FROM promoted_columns FINAL"));
    }

    @Test
    void shouldKnowEarlierPromotionsAfterARestart() {
        PromotedColumns before = open();
        before.promote(new Promotion("shop", "amount", PromotedType.NUMBER)).join();
        before.promote(new Promotion("shop", "plan", PromotedType.STRING)).join();
        before.demote("shop", "plan").join();
        before.close();

        PromotedColumns after = open();
        List<Promotion> loaded = after.load();

        assertEquals(List.of(new Promotion("shop", "amount", PromotedType.NUMBER)), loaded);
        assertEquals(Set.of("p_amount", "p_plan"), after.snapshot().columns().keySet());
        assertEquals(PromotionOutcome.Status.UNCHANGED,
                after.promote(new Promotion("shop", "amount", PromotedType.NUMBER)).join().status());
    }

    @Test
    void shouldShareTheColumnAcrossProjectsButFillItOnlyForProjectsThatPromotedIt() {
        PromotedColumns columns = open();
        columns.promote(new Promotion("a", "amount", PromotedType.NUMBER)).join();

        PromotionOutcome second = columns.promote(new Promotion("b", "amount", PromotedType.NUMBER)).join();
        insert(columns.snapshot(),
                event("a", "a1", Map.of("amount", 1)),
                event("b", "b1", Map.of("amount", 2)),
                event("c", "c1", Map.of("amount", 3)));

        assertEquals(PromotionOutcome.Status.ACTIVATED, second.status());
        assertEquals("a\t1\nb\t2\nc\tnull", tsv("SELECT project_id, p_amount FROM events FINAL ORDER BY project_id"));
    }

    @Test
    void shouldRefuseToPromoteTheSameNameWithAnotherType() {
        PromotedColumns columns = open();
        columns.promote(new Promotion("a", "amount", PromotedType.NUMBER)).join();

        PromotionOutcome outcome = columns.promote(new Promotion("b", "amount", PromotedType.STRING)).join();

        assertEquals(PromotionOutcome.Status.CONFLICT, outcome.status());
        assertTrue(columns.snapshot().promotion("b", "amount").isEmpty());
        assertEquals("Nullable(Float64)", columnType("events", "p_amount"));
    }

    @Test
    void shouldStopFillingForAProjectAfterADemotionAndKeepTheColumn() {
        PromotedColumns columns = open();
        columns.promote(new Promotion("shop", "amount", PromotedType.NUMBER)).join();
        insert(columns.snapshot(), event("shop", "e1", Map.of("amount", 5)));

        assertEquals(PromotionOutcome.Status.DEMOTED, columns.demote("shop", "amount").join().status());
        insert(columns.snapshot(), event("shop", "e2", Map.of("amount", 7)));

        assertEquals("e1\t5\ne2\tnull", tsv("SELECT event_id, p_amount FROM events FINAL ORDER BY event_id"));
        assertEquals(PromotionOutcome.Status.UNCHANGED, columns.demote("shop", "amount").join().status());
    }

    @Test
    void shouldStoreEveryPromotedTypeInItsColumn() {
        PromotedColumns columns = open();
        for (PromotedType type : PromotedType.values()) {
            columns.promote(new Promotion("types", "v_" + type.wireName(), type)).join();
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("v_string", 12);
        props.put("v_number", "1.25");
        props.put("v_boolean", "TRUE");
        props.put("v_datetime", "2026-10-01T14:00:00+02:00");
        props.put("v_list", List.of("x", 2));

        insert(columns.snapshot(), event("types", "full", props), event("types", "empty", Map.of()));

        assertEquals("full\t12\t1.25\t1\t2026-10-01 12:00:00\t['x','2']\n"
                        + "empty\tnull\tnull\tnull\tnull\t[]",
                tsv("SELECT event_id, p_v_string, p_v_number, p_v_boolean, p_v_datetime, p_v_list"
                        + " FROM events FINAL ORDER BY event_id DESC"));
    }

    @Test
    void shouldMakeTheActivePromotionsExactlyTheWantedOnesOnReconcile() {
        PromotedColumns columns = open();
        columns.promote(new Promotion("shop", "stale", PromotedType.NUMBER)).join();

        List<PromotionOutcome> outcomes = columns.reconcile(() -> List.of(new Promotion("shop", "amount", PromotedType.NUMBER))).join();

        Set<String> statuses = new TreeSet<>();
        outcomes.forEach(o -> statuses.add(o.property() + ":" + o.status()));
        assertEquals(Set.of("amount:COLUMN_ADDED", "stale:DEMOTED"), statuses);
        assertEquals(List.of(new Promotion("shop", "amount", PromotedType.NUMBER)), columns.snapshot().activePromotions());
    }

    @Test
    void shouldLetTwoProcessesPromoteTheSameColumnAtOnce() {
        PromotedColumns first = open();
        PromotedColumns second = open();
        Promotion amount = new Promotion("shop", "amount", PromotedType.NUMBER);

        CompletableFuture<PromotionOutcome> a = first.promote(amount);
        CompletableFuture<PromotionOutcome> b = second.promote(amount);

        assertFalse(a.join().status() == PromotionOutcome.Status.CONFLICT);
        assertFalse(b.join().status() == PromotionOutcome.Status.CONFLICT);
        assertEquals("Nullable(Float64)", columnType("events", "p_amount"));
    }

    private PromotedColumns open() {
        PromotedColumns columns = new PromotedColumns(clickhouse);
        opened.add(columns);
        return columns;
    }

    private static Event event(String project, String id, Map<String, Object> properties) {
        return EventFixtures.withProperties(project, id, properties);
    }

    private void insert(PromotionSnapshot snapshot, Event... events) {
        List<String> rows = new ArrayList<>();
        for (Event e : events) {
            rows.add(EventRows.toJson(e, INSERTED_AT, snapshot));
        }
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, rows);
    }

    private String columnType(String table, String column) {
        return clickhouse.query("SELECT type FROM system.columns WHERE database = currentDatabase() AND table = '"
                + table + "' AND name = '" + column + "'").single();
    }

    private String tsv(String sql) {
        return String.join("\n", clickhouse.query(sql).rows().stream().map(r -> r.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("\t"))).toList());
    }
}
