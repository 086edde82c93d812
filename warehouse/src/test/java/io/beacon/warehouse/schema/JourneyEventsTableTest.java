package io.beacon.warehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.EventCodec;
import io.beacon.event.JourneyEvent;
import io.beacon.event.JourneyEventCodec;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.sink.JourneyEventRows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code journey_events} on the real ClickHouse (18.16, and 26.x under chdb): a replayed copy of a run's events merges away. */
@ExtendWith(BeaconStackExtension.class)
class JourneyEventsTableTest {
    private static final long T0 = 1_795_774_643_456L;
    private ClickHouse clickhouse;

    @BeforeEach
    void connect(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("journeys")));
        new Migrations(clickhouse).apply();
    }

    @AfterEach
    void close() {
        clickhouse.close();
    }

    @Test
    void shouldKeepOneRowPerRunEventInFinalReadsWhenTheSinkInsertsABatchTwice() {
        List<JourneyEvent> run = List.of(
                new JourneyEvent("shop", "u1", "welcome", 1, 1, 0, JourneyEvent.Kind.ENTERED, null, null, null, null, T0, "e1"),
                new JourneyEvent("shop", "u1", "welcome", 1, 1, 1, JourneyEvent.Kind.STEP_ENTERED, "push", null, null, null, T0, "e1"),
                new JourneyEvent("shop", "u1", "welcome", 1, 1, 2, JourneyEvent.Kind.SENT, "push", null, "push", "journey/welcome/v1/u1/1/push", T0, "e1"),
                new JourneyEvent("shop", "u1", "welcome", 1, 1, 3, JourneyEvent.Kind.STEP_ENTERED, "wait", null, null, null, T0, "e1"),
                new JourneyEvent("shop", "u1", "welcome", 1, 1, 4, JourneyEvent.Kind.EXITED, "wait", "exit_criteria", null, null, T0 + 5_000, "e2"),
                new JourneyEvent("shop", "u2", "welcome", 1, 1, 0, JourneyEvent.Kind.ENTERED, null, null, null, null, T0, "e3"),
                new JourneyEvent("shop", "u2", "welcome", 1, 1, 1, JourneyEvent.Kind.CAPPED, "push", null, "push", null, T0, "e3"));
        List<String> rows = new ArrayList<>();
        for (JourneyEvent e : run) {
            rows.add(json(JourneyEventRows.row(JourneyEventCodec.encodeBytes(e), T0)));
        }
        clickhouse.insertJsonEachRow(MigrationCatalog.JOURNEY_EVENTS, rows);
        clickhouse.insertJsonEachRow(MigrationCatalog.JOURNEY_EVENTS, rows);

        assertEquals(14, clickhouse.queryLong("SELECT count() FROM journey_events"));
        assertEquals(7, clickhouse.queryLong("SELECT count() FROM journey_events FINAL"));
        assertEquals("capped\t1\nentered\t2\nexited\t1\nsent\t1\nstep_entered\t2", clickhouse.queryText(
                "SELECT kind, count() FROM journey_events FINAL WHERE project_id = 'shop' AND journey_id = 'welcome' "
                        + "GROUP BY kind ORDER BY kind FORMAT TSV").trim());
        assertEquals("exit_criteria\twait\t1795774648", clickhouse.queryText(
                "SELECT reason, step_id, toUInt64(at) FROM journey_events FINAL WHERE kind = 'exited' FORMAT TSV").trim());
    }

    private static String json(Object row) {
        try {
            return EventCodec.mapper().writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
