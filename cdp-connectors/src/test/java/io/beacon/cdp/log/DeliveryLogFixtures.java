package io.beacon.cdp.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.devstack.TestStack;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.DeliveryAttempt.Outcome;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.DeliveryRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts the delivery log tests read, written into a fresh, migrated ClickHouse database the way the sink
 * writes them ({@link DeliveryRows}), each twice (a sink replay that {@code FINAL} must collapse).
 */
public final class DeliveryLogFixtures {
    /** "Now" of every test clock: 2026-12-07T12:00:00Z. */
    public static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    public static final String PROJECT = "shop";
    public static final String HOSTILE_DESTINATION = "dst'x\\";
    private static final long HOUR = 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeliveryLogFixtures() {
    }

    /** A migrated database of its own on the stack's ClickHouse. */
    public static ClickHouse database(TestStack stack, String base) {
        ClickHouse clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName(base)));
        new Migrations(clickhouse).apply();
        return clickhouse;
    }

    private static DeliveryAttempt attempt(String project, String destination, String message, int number, long agoMs,
                                           int status, Outcome outcome, long latencyMs, String error, String body) {
        return new DeliveryAttempt(project, destination, "u_" + message, message, "segment.entered", number,
                NOW.toEpochMilli() - agoMs, status, outcome, latencyMs, error, body);
    }

    /**
     * dst_a of shop in the last 24 h: msg_1 retry (500, 100 ms) then delivered (20 ms); msg_2 delivered (30 ms);
     * msg_3 throttled (429, 10 ms) then dead-lettered (400, 40 ms, exactly 1 h ago); msg_4 timed out (0, 15,000 ms,
     * 10 min ago) and still retrying; msg_old delivered 25 h ago (999 ms). dst_b: msg_9 delivered (50 ms).
     * {@link #HOSTILE_DESTINATION}: one delivery (7 ms). Project other: dst_a delivered (1 ms).
     */
    public static List<DeliveryAttempt> attempts() {
        return List.of(
                attempt(PROJECT, "dst_a", "msg_old", 1, 25 * HOUR, 200, Outcome.DELIVERED, 999, null, "ok"),
                attempt(PROJECT, "dst_a", "msg_1", 1, 5 * HOUR, 500, Outcome.RETRY, 100, "HTTP 500\tInternal\nError", "{\"e\":\"boom ✗\"}"),
                attempt(PROJECT, "dst_a", "msg_1", 2, 4 * HOUR, 200, Outcome.DELIVERED, 20, null, "{\"ok\":true}"),
                attempt(PROJECT, "dst_a", "msg_2", 1, 3 * HOUR, 204, Outcome.DELIVERED, 30, null, null),
                attempt(PROJECT, "dst_a", "msg_3", 1, 2 * HOUR, 429, Outcome.THROTTLED, 10, "HTTP 429 (Retry-After 60)", "slow down"),
                attempt(PROJECT, "dst_a", "msg_3", 2, HOUR, 400, Outcome.DEAD_LETTERED, 40, "HTTP 400", "bad"),
                attempt(PROJECT, "dst_a", "msg_4", 1, 10 * 60_000L, 0, Outcome.RETRY, 15_000, "timeout after 15 s", null),
                attempt(PROJECT, "dst_b", "msg_9", 1, 30 * 60_000L, 200, Outcome.DELIVERED, 50, null, "ok"),
                attempt(PROJECT, HOSTILE_DESTINATION, "msg_h", 1, 20 * 60_000L, 200, Outcome.DELIVERED, 7, null, "ok"),
                attempt("other", "dst_a", "msg_1", 1, 2 * HOUR, 200, Outcome.DELIVERED, 1, null, "ok"));
    }

    /** Inserts {@link #attempts()} twice, as two inserts (a replay). */
    public static void insert(ClickHouse clickhouse) {
        List<String> rows = new ArrayList<>();
        for (DeliveryAttempt a : attempts()) {
            try {
                rows.add(JSON.writeValueAsString(DeliveryRows.row(CdpCodec.encode(a), NOW.toEpochMilli())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        clickhouse.insertJsonEachRow(MigrationCatalog.DELIVERIES, rows);
        clickhouse.insertJsonEachRow(MigrationCatalog.DELIVERIES, rows);
    }
}
