package io.beacon.analytics.testing;

import io.beacon.devstack.TestStack;
import io.beacon.event.EventCodec;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An isolated, migrated database per test class, filled through the warehouse's own row mapping. */
public final class AnalyticsDb implements AutoCloseable {
    private final ClickHouse clickhouse;

    public AnalyticsDb(TestStack stack, String name) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName(name)));
        new Migrations(clickhouse).apply();
    }

    public ClickHouse clickhouse() {
        return clickhouse;
    }

    /** Inserts the events in the given order (arrival order), each as the sink writes it. */
    public void insert(String projectId, List<TestEvent> events) {
        List<String> rows = new ArrayList<>();
        for (TestEvent e : events) {
            rows.add(EventRows.toJson(e.toEvent(projectId), e.timeMs()));
        }
        clickhouse.insertJsonEachRow("events", rows);
    }

    /** Links {@code distinctId} to {@code person} (as the identity sink writes it). */
    public void link(String projectId, String distinctId, String person) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("project_id", projectId);
        row.put("distinct_id", distinctId);
        row.put("person_id", person);
        row.put("event_id", "link-" + distinctId);
        row.put("version", 1);
        row.put("inserted_at", 0);
        clickhouse.insertJsonEachRow("person_distinct_ids", List.of(new String(EventCodec.encode(row), StandardCharsets.UTF_8)));
    }

    /** Sets person property {@code key} of {@code personId} to {@code value} at {@code version} (as the persons sink writes it). */
    public void personProperty(String projectId, String personId, String key, String value, long version) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("project_id", projectId);
        row.put("person_id", personId);
        row.put("key", key);
        row.put("value", value);
        row.put("set_once", 0);
        row.put("event_time", 0);
        row.put("event_time_ms", 0);
        row.put("event_id", "set-" + personId + "-" + version);
        row.put("version", version);
        row.put("inserted_at", 0);
        clickhouse.insertJsonEachRow("persons", List.of(new String(EventCodec.encode(row), StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        clickhouse.executeOutsideDatabase("DROP DATABASE IF EXISTS " + clickhouse.database());
        clickhouse.close();
    }
}
