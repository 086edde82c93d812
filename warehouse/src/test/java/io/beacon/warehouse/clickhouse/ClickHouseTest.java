package io.beacon.warehouse.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.ClickHouseSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class ClickHouseTest {

    private static ClickHouse clickhouse;

    @BeforeAll
    static void connect(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("wh")));
        clickhouse.executeOutsideDatabase("CREATE DATABASE IF NOT EXISTS " + clickhouse.database());
        clickhouse.execute("CREATE TABLE IF NOT EXISTS kv (k String, v UInt32) ENGINE = MergeTree() ORDER BY k");
        clickhouse.insertJsonEachRow("kv", List.of("{\"k\":\"a\",\"v\":1}", "{\"k\":\"b\\tc\",\"v\":20}"));
    }

    @AfterAll
    static void close() {
        clickhouse.close();
    }

    @Test
    void shouldRunStatementsInTheConfiguredDatabase() {
        assertEquals(clickhouse.database(), clickhouse.query("SELECT currentDatabase()").single());
    }

    @Test
    void shouldReadRowsAsTextWithColumnNames() {
        QueryResult result = clickhouse.query("SELECT k, v FROM kv ORDER BY k");

        assertEquals(List.of("k", "v"), result.columns());
        assertEquals(List.of(List.of("a", "1"), List.of("b\tc", "20")), result.rows());
    }

    @Test
    void measuredQueryShouldGiveTheSameTextAsTabSeparatedAndTheRowsRead() {
        String sql = "SELECT k, v, toUInt64(v) * 1000000000000 AS big, v / 0 AS inf, 0 / 0 AS nan, [k, 'it''s'] AS arr,"
                + " (v, k) AS tup, [(v, k)] AS arr_tup, [toUInt64(v)] AS nums, CAST(NULL AS Nullable(String)) AS n, toDate('2026-03-01') AS d"
                + " FROM kv ORDER BY k";

        MeasuredResult measured = clickhouse.queryMeasured(sql, java.util.Map.of("max_execution_time", "10"));

        assertEquals(clickhouse.query(sql), measured.result());
        assertEquals(2, measured.rowsRead()); // the server read both rows of kv
        assertTrue(measured.bytesRead() > 0);
    }

    @Test
    void measuredQueryShouldCarryTheServerCodeOfALimit() {
        WarehouseException e = assertThrows(WarehouseException.class, () -> clickhouse.queryMeasured(
                "SELECT number FROM system.numbers LIMIT 100", java.util.Map.of("max_result_rows", "10", "result_overflow_mode", "throw")));
        assertEquals(396, e.serverCode());
    }

    @Test
    void shouldPrintAQueryAsATable() {
        assertEquals("""
                k    |  v
                -----+---
                a    |  1
                b\\tc | 20
                (2 rows)
                """, clickhouse.queryAsTable("SELECT k, v AS ` v` FROM kv ORDER BY k"));
    }

    @Test
    void shouldReportTheServersMessageAndCodeForABadQuery() {
        WarehouseException e = assertThrows(WarehouseException.class, () -> clickhouse.query("SELECT * FROM no_such_table"));

        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        assertEquals(60, e.serverCode());
        assertTrue(e.fromServer());
    }

    @Test
    void shouldReportTheServersMessageForARefusedInsert() {
        WarehouseException e = assertThrows(WarehouseException.class,
                () -> clickhouse.insertJsonEachRow("kv", List.of("{\"k\":\"x\",\"v\":\"not a number\"}")));

        // the refusal names the engine's version, so a failure on one of the two CI engines says which
        assertTrue(e.getMessage().startsWith("ClickHouse " + clickhouse.serverVersion() + " refused INSERT INTO kv"), e.getMessage());
        assertTrue(e.fromServer());
    }

    @Test
    void shouldReadAndParseTheServerVersion() {
        ServerVersion version = clickhouse.serverRelease();

        assertTrue(version.supported(), version.text());
        assertTrue(version.text().matches("\\d+\\.\\d+(\\.\\d+)*"), version.text());
        assertEquals(clickhouse.queryText("SELECT version() FORMAT TabSeparated").strip(), version.text());
    }

    @Test
    void shouldRefuseAQueryThatBringsItsOwnFormat() {
        assertThrows(IllegalArgumentException.class, () -> clickhouse.query("SELECT 1 FORMAT JSON"));
    }

    @Test
    void shouldReturnTheRawTextOfAQueryWithItsOwnFormat() {
        assertEquals("{\"k\":\"a\",\"v\":1}\n", clickhouse.queryText("SELECT k, v FROM kv WHERE k = 'a' FORMAT JSONEachRow"));
    }

    @Test
    void shouldAnswerPingWhenTheServerIsUp() {
        assertTrue(clickhouse.ping());
        assertTrue(clickhouse.serverVersion().matches("\\d+\\.\\d+.*"));
    }

    @Test
    void shouldAnswerPingEvenBeforeItsDatabaseExists(TestStack stack) {
        try (ClickHouse fresh = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("nodb")))) {
            assertTrue(fresh.ping());
        }
    }

    @Test
    void shouldFailPingAndQueriesClearlyWhenNothingListens() {
        ClickHouseSettings nowhere = new ClickHouseSettings("http://127.0.0.1:1", "x", "default", "", Duration.ofSeconds(2));
        try (ClickHouse dead = ClickHouse.connect(nowhere)) {
            assertFalse(dead.ping());
            WarehouseException e = assertThrows(WarehouseException.class, () -> dead.query("SELECT 1"));
            assertFalse(e.fromServer());
        }
    }
}
