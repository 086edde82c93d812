package io.beacon.warehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.EventFixtures;
import io.beacon.warehouse.Eventually;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.sink.EventRows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class EventsTableTest {

    private static final long INSERTED_AT = EventFixtures.RECEIVED_AT + 1_000;
    private static ClickHouse clickhouse;

    @BeforeAll
    static void migrate(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("wh")));
        new Migrations(clickhouse).apply();
    }

    @AfterAll
    static void close() {
        clickhouse.close();
    }

    @Test
    void shouldHaveAColumnForEveryKeyOfAnEventRowAndNoOther() {
        Set<String> columns = new LinkedHashSet<>();
        clickhouse.query("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'events'")
                .rows().forEach(r -> columns.add(r.get(0)));

        assertEquals(columns, EventRows.toRow(EventFixtures.full("p", "e"), INSERTED_AT).keySet());
    }

    @Test
    void shouldReadBackAnInsertedEventFieldByField() {
        Event event = EventFixtures.full("readback", "e-1");
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, List.of(EventRows.toJson(event, INSERTED_AT)));

        Map<String, String> row = clickhouse.query("""
                SELECT *, toString(event_date) AS date_text,
                       properties.value[indexOf(properties.key, 'quote')] AS quote,
                       properties.value[indexOf(properties.key, 'unicode')] AS unicode,
                       properties.value[indexOf(properties.key, 'price')] AS price
                FROM events FINAL WHERE project_id = 'readback'""").asMaps().get(0);

        assertEquals("e-1", row.get("event_id"));
        assertEquals("page", row.get("event_type"));
        assertEquals("$pageview", row.get("event_name"));
        assertEquals("2026-10-01 12:00:00", row.get("event_time"));
        assertEquals("1790856000123", row.get("event_time_ms"));
        assertEquals("2026-10-01", row.get("date_text"));
        assertEquals("user-42", row.get("user_id"));
        assertEquals("device-7", row.get("device_id"));
        assertEquals("user-42", row.get("distinct_id"));
        assertEquals("session-9", row.get("session_id"));
        assertEquals("web", row.get("platform"));
        assertEquals("CH", row.get("country"));
        assertEquals("ZH", row.get("region"));
        assertEquals("Zürich", row.get("city"));
        assertEquals("MacBookPro18,3", row.get("device_model"));
        assertEquals("macOS", row.get("os_name"));
        assertEquals("14.5", row.get("os_version"));
        assertEquals("2.3.1", row.get("app_version"));
        assertEquals("https://example.com/pricing?x=1", row.get("page_url"));
        assertEquals("Pricing — Example", row.get("page_title"));
        assertEquals("/pricing", row.get("page_path"));
        assertEquals("https://google.com/", row.get("referrer"));
        assertEquals("203.0.113.7", row.get("ip"));
        assertEquals("Mozilla/5.0 (Macintosh)", row.get("user_agent"));
        assertEquals("analytics.js", row.get("library_name"));
        assertEquals("4.1.0", row.get("library_version"));
        assertEquals("group-1", row.get("group_id"));
        assertEquals("prev-1", row.get("previous_id"));
        assertEquals("2026-10-01 12:00:01", row.get("received_at"));
        assertEquals("1790856001456", row.get("received_at_ms"));
        assertEquals("1790855999623", row.get("client_time_ms"));
        assertEquals("1790856000323", row.get("sent_at_ms"));
        assertEquals("2026-10-01 12:00:02", row.get("inserted_at"));
        assertEquals("['email','age']", row.get("traits.key"));
        assertEquals("['ada@example.com','36']", row.get("traits.value"));
        assertEquals("['clock_skew_corrected']", row.get("warnings"));
        assertEquals("say \"hi\" \\ back\tslash\nnew line", row.get("quote"));
        assertEquals("Zürich 東京 🚀", row.get("unicode"));
        assertEquals("12.5", row.get("price"));
    }

    @Test
    void shouldCountEachEventOnceWithFinalAfterTheSameBatchWasInsertedTwice() {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(EventRows.toJson(EventFixtures.minimal("dup", "e-" + i), INSERTED_AT));
        }

        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, batch);
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, batch);

        assertEquals(1_000, clickhouse.queryLong("SELECT count() FROM events FINAL WHERE project_id = 'dup'"));
        assertEquals(1_000, clickhouse.queryLong("SELECT count() FROM events_dedup WHERE project_id = 'dup'"));
        assertEquals(1_000, clickhouse.queryLong("SELECT uniqExact(event_id) FROM events WHERE project_id = 'dup'"));
    }

    @Test
    void shouldKeepOneCopyAfterAMergeOfDuplicates() {
        List<String> batch = List.of(EventRows.toJson(EventFixtures.minimal("merged", "e-1"), INSERTED_AT));
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, batch);
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, batch);

        // OPTIMIZE is a no-op while a background merge holds the parts, so repeat it until the merge happened.
        Eventually.assertEventually(Duration.ofSeconds(30), 1L, () -> {
            clickhouse.execute("OPTIMIZE TABLE events PARTITION 202610 FINAL");
            return clickhouse.queryLong("SELECT count() FROM events WHERE project_id = 'merged'");
        }, "rows of a duplicated event after merging");
    }

    @Test
    void shouldFilterByDateTimeWithToDateTimeInFunnelsOverFinal() {
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, List.of(
                EventRows.toJson(EventFixtures.minimal("funnel", "e-1"), INSERTED_AT),
                EventRows.toJson(EventFixtures.full("funnel", "e-2"), INSERTED_AT)));

        long converted = clickhouse.queryLong("""
                SELECT sum(steps = 2) FROM (
                    SELECT distinct_id, windowFunnel(86400)(event_time, event_name = 'signup', event_name = '$pageview') AS steps
                    FROM events FINAL
                    WHERE project_id = 'funnel' AND event_time >= toDateTime('2026-10-01 00:00:00')
                    GROUP BY distinct_id)""");

        assertEquals(0, converted, "signup and pageview belong to different people in the fixtures");
    }
}
