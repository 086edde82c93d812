package io.beacon.analytics.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.AnalyticsServer;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The SQL console on ClickHouse 18.16 with two projects' data: every escape attempt of {@link SqlCorpus} is
 * refused with 400 and its code; what passes the guard sees only the caller's project; limits and server errors
 * map to clear answers; statements reach the query log.
 */
@ExtendWith(BeaconStackExtension.class)
class SqlConsoleIT {
    private static final long T = 1_772_400_000_000L;
    private static AnalyticsDb db;
    private static AnalyticsServer server;

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "sqlconsole");
        List<TestEvent> a = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.add(new TestEvent("a" + i, i < 3 ? "anon-1" : "u2", "view", T + i * 1000L, "DE", Map.of("plan", "pro")));
        }
        List<TestEvent> b = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            b.add(new TestEvent("b" + i, "secret-b", "purchase", T + i * 1000L, "US", Map.of("card", "4111")));
        }
        db.insert("pa", a);
        db.insert("pb", b);
        db.link("pa", "anon-1", "u1");
        db.link("pb", "secret-b", "b-person");
        db.link("pb", "b-other", "b-person");
        server = new AnalyticsServer(db, AnalyticsSettings.defaults().withSqlLimits(50, Duration.ofSeconds(2), 500_000_000L), Clock.systemUTC());
        server.project("pa", "UTC");
        server.project("pb", "UTC");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
    }

    private static HttpResponse<String> sql(String project, String sql) throws Exception {
        return server.postJson("/api/v1/sql", project, JsonNodeFactory.instance.objectNode().put("sql", sql).toString());
    }

    private static List<List<String>> rows(String project, String sql) throws Exception {
        JsonNode body = AnalyticsServer.ok(sql(project, sql));
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : body.get("rows")) {
            List<String> r = new ArrayList<>();
            row.forEach(v -> r.add(v.isNull() ? null : v.asText()));
            out.add(r);
        }
        return out;
    }

    @Test
    void shouldRefuseEveryEscapeAttemptWith400AndItsCode() throws Exception {
        List<Executable> checks = new ArrayList<>();
        for (String[] c : SqlCorpus.REFUSED) {
            HttpResponse<String> r = sql("pa", c[0]);
            checks.add(() -> assertEquals(400, r.statusCode(), c[0] + " → " + r.body()));
            JsonNode error = AnalyticsServer.JSON.readTree(r.body()).path("error");
            checks.add(() -> assertEquals(c[1], error.path("code").asText(), c[0]));
            checks.add(() -> assertEquals("sql", error.path("field").asText(), c[0]));
        }
        org.junit.jupiter.api.Assertions.assertAll(checks);
    }

    @Test
    void shouldSeeOnlyTheCallersProject() throws Exception {
        assertEquals(List.of(List.of("5")), rows("pa", "SELECT count() FROM events"));
        assertEquals(List.of(List.of("7")), rows("pb", "SELECT count() FROM events"));
        assertEquals(List.of(List.of("pa")), rows("pa", "SELECT DISTINCT project_id FROM events"));
        assertEquals(List.of(List.of("0")), rows("pa", "SELECT count() FROM events WHERE project_id = 'pb' OR distinct_id = 'secret-b'"));
        assertEquals(List.of(List.of("0")), rows("pa", "select count() from \"events\" where has(properties.key, 'card')"));
        // Links of pa only; persons resolved through them (anon-1 → u1), never through pb's.
        assertEquals(List.of(List.of("anon-1", "u1")), rows("pa", "SELECT distinct_id, person_id FROM person_distinct_ids"));
        assertEquals(List.of(List.of("u1", "3"), List.of("u2", "2")),
                rows("pa", "SELECT resolved_person_id, count() FROM events GROUP BY resolved_person_id ORDER BY resolved_person_id"));
        assertEquals(List.of(List.of("b-person", "7")),
                rows("pb", "SELECT e.resolved_person_id, count() FROM events AS e GROUP BY e.resolved_person_id"));
        // A JOIN and an IN subquery are both pinned.
        assertEquals(List.of(List.of("3")), rows("pa", "SELECT count() FROM events ALL INNER JOIN person_distinct_ids USING distinct_id"));
        assertEquals(List.of(List.of("0")), rows("pb", "SELECT count() FROM events WHERE distinct_id IN (SELECT distinct_id FROM person_distinct_ids WHERE person_id = 'u1')"));
    }

    @Test
    void shouldTreatQuoteTricksAsHarmlessStrings() throws Exception {
        assertEquals(List.of(List.of("a' FROM system.one")), rows("pa", "SELECT 'a'' FROM system.one'"));
        assertEquals(List.of(List.of("a' FROM system.one")), rows("pa", "SELECT 'a\\' FROM system.one'"));
    }

    @Test
    void shouldRefuseTableFunctionsOnTheServerTooBecauseTheConsoleRunsReadOnly() {
        SqlConsole console = new SqlConsole(Warehouse.of(db.clickhouse()), AnalyticsSettings.defaults());
        WarehouseException e = org.junit.jupiter.api.Assertions.assertThrows(WarehouseException.class,
                () -> Warehouse.of(db.clickhouse()).query("SELECT * FROM url('http://127.0.0.1:1/', 'TSV', 'a String')", console.limits()));
        assertEquals(164, e.serverCode());
        WarehouseException write = org.junit.jupiter.api.Assertions.assertThrows(WarehouseException.class,
                () -> Warehouse.of(db.clickhouse()).query("SELECT count() FROM events SETTINGS readonly = 0", console.limits()));
        assertEquals(164, write.serverCode());
    }

    @Test
    void shouldCutResultsAtTheRowLimitAndSaySo() throws Exception {
        JsonNode body = AnalyticsServer.ok(sql("pa", "SELECT arrayJoin(range(200)) AS n"));
        assertEquals(50, body.get("rows").size());
        assertEquals(50, body.get("row_count").asInt());
        assertTrue(body.get("truncated").asBoolean());
        assertEquals("49", body.at("/rows/49/0").asText());
    }

    @Test
    void shouldAnswer400ForSqlTheServerRefuses() throws Exception {
        HttpResponse<String> r = sql("pa", "SELECT no_such_column FROM events");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("SQL_ERROR", AnalyticsServer.JSON.readTree(r.body()).at("/error/code").asText());
    }

    @Test
    void shouldRefuseMalformedRequests() throws Exception {
        assertEquals(401, sql(null, "SELECT 1").statusCode());
        HttpResponse<String> missing = server.postJson("/api/v1/sql", "pa", "{\"query\":\"SELECT 1\"}");
        assertEquals(400, missing.statusCode());
        assertEquals("query", AnalyticsServer.JSON.readTree(missing.body()).at("/error/field").asText());
        HttpResponse<String> notText = server.postJson("/api/v1/sql", "pa", "{\"sql\":42}");
        assertEquals(400, notText.statusCode());
        assertEquals("sql", AnalyticsServer.JSON.readTree(notText.body()).at("/error/field").asText());
    }

    @Test
    void shouldLogConsoleStatementsWithTheRowsTheServerRead() throws Exception {
        rows("pb", "SELECT count() FROM events WHERE event_name = 'purchase'");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<List<String>> log = List.of();
        while (System.nanoTime() < deadline) {
            log = db.clickhouse().query("SELECT rows_read, result_rows, status, key_id FROM query_log WHERE project_id = 'pb' AND analysis = 'sql'"
                    + " AND status = 'ok' AND position(sql, 'purchase') > 0").rows();
            if (!log.isEmpty()) {
                break;
            }
            Thread.onSpinWait();
        }
        assertEquals(1, log.size(), "the statement reaches query_log");
        assertTrue(Long.parseLong(log.get(0).get(0)) > 0, "rows_read > 0");
        assertEquals("1", log.get(0).get(1));
        assertTrue(log.get(0).get(3).startsWith("sk:"));
    }
}
