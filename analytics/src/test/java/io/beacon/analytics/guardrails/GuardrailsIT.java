package io.beacon.analytics.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.api.internal.AnalyticsErrors;
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

/** Result cache (hit = identical result; a later insert misses), query_log rows with server statistics, timeouts → 408. */
@ExtendWith(BeaconStackExtension.class)
class GuardrailsIT {
    private static final long T = 1_772_400_000_000L; // 2026-03-01T21:20Z
    private static final String TREND = "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-03\"},\"interval\":\"day\","
            + "\"series\":[{\"event\":\"view\"},{\"event\":\"view\",\"math\":\"unique_persons\"}]}";
    private static AnalyticsDb db;
    private static AnalyticsServer server;

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "guardrails");
        List<TestEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new TestEvent("g" + i, "u" + (i % 7), i % 3 == 0 ? "purchase" : "view", T + i * 60_000L, "DE", Map.of()));
        }
        db.insert("pg", events);
        db.insert("other", events);
        server = new AnalyticsServer(db, AnalyticsSettings.defaults(), Clock.systemUTC());
        server.project("pg", "UTC");
        server.project("other", "UTC");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
    }

    private static double total(JsonNode trend, int series) {
        double sum = 0;
        for (JsonNode v : trend.at("/series/" + series + "/values")) {
            sum += v.asDouble();
        }
        return sum;
    }

    @Test
    void shouldServeARepeatedQueryFromTheCacheUntilNewDataArrives() throws Exception {
        HttpResponse<String> first = server.postJson("/api/v1/insights/trends", "pg", TREND);
        JsonNode a = AnalyticsServer.ok(first);
        assertEquals("miss", a.get("cache").asText());
        assertEquals("miss", first.headers().firstValue("X-Beacon-Cache").orElseThrow());

        // The same query with its fields in another order is the same normalized query.
        String reordered = "{\"series\":[{\"event\":\"view\"},{\"math\":\"unique_persons\",\"event\":\"view\"}],\"interval\":\"day\","
                + "\"date_range\":{\"to\":\"2026-03-03\",\"from\":\"2026-03-01\"}}";
        HttpResponse<String> second = server.postJson("/api/v1/insights/trends", "pg", reordered);
        JsonNode b = AnalyticsServer.ok(second);
        assertEquals("hit", b.get("cache").asText());
        assertEquals("hit", second.headers().firstValue("X-Beacon-Cache").orElseThrow());
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("cache");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("cache");
        assertEquals(a, b, "a hit returns the identical result");
        assertEquals(26.0, total(a, 0));

        // Another project's identical query is not served from pg's entry.
        assertEquals("miss", AnalyticsServer.ok(server.postJson("/api/v1/insights/trends", "other", TREND)).get("cache").asText());

        db.insert("pg", List.of(new TestEvent("late", "u99", "view", T + 3_600_000L, "DE", Map.of())));
        JsonNode c = AnalyticsServer.ok(server.postJson("/api/v1/insights/trends", "pg", TREND));
        assertEquals("miss", c.get("cache").asText(), "the insert moved the watermark");
        assertEquals(27.0, total(c, 0));
        assertEquals(8.0, total(c, 1));
    }

    @Test
    void shouldWriteQueryLogRowsWithRealDurationsAndRowsRead() throws Exception {
        String funnel = "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-03\"},\"steps\":[{\"event\":\"view\"},{\"event\":\"purchase\"}]}";
        JsonNode answer = AnalyticsServer.ok(server.postJson("/api/v1/insights/funnels", "pg", funnel));
        int statements = answer.get("queries").size();
        AnalyticsServer.ok(server.postJson("/api/v1/insights/funnels", "pg", funnel)); // a cache hit
        HttpResponse<String> refused = server.postJson("/api/v1/insights/funnels", "pg", "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-03\"},\"steps\":[]}");
        assertEquals(400, refused.statusCode());

        String where = "project_id = 'pg' AND analysis = 'funnels'";
        List<List<String>> rows = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            rows = db.clickhouse().query("SELECT statement, status, cache_hit, rows_read, bytes_read, result_rows, duration_ms, sql, key_id, error_code, query"
                    + " FROM query_log WHERE " + where + " ORDER BY started_at_ms, statement").rows();
            if (rows.size() >= statements + 2) {
                break;
            }
            Thread.onSpinWait();
        }
        assertEquals(statements + 2, rows.size(), rows.toString());
        List<String> ran = rows.get(0);
        assertEquals("1", ran.get(0));
        assertEquals("ok", ran.get(1));
        assertEquals("0", ran.get(2));
        assertTrue(Long.parseLong(ran.get(3)) > 0, "rows_read > 0: " + ran);
        assertTrue(Long.parseLong(ran.get(4)) > 0, "bytes_read > 0: " + ran);
        assertEquals(answer.at("/queries/0/rows").asText(), ran.get(5));
        assertTrue(Long.parseLong(ran.get(6)) >= 0);
        assertEquals(answer.at("/queries/0/sql").asText(), ran.get(7));
        assertTrue(ran.get(8).startsWith("sk:") && !ran.get(8).contains(AnalyticsServer.secret("pg")), "a key id, never the key");
        assertTrue(ran.get(10).contains("\"steps\""));
        boolean hit = rows.stream().anyMatch(r -> r.get(1).equals("cache_hit") && r.get(2).equals("1") && r.get(0).equals("0"));
        assertTrue(hit, "the cache hit is logged: " + rows);
        boolean error = rows.stream().anyMatch(r -> r.get(1).equals("error") && r.get(9).equals("INVALID_QUERY"));
        assertTrue(error, "the refused query is logged with its code: " + rows);
    }

    @Test
    void shouldMapAClickHouseTimeoutTo408() {
        WarehouseException e = assertThrows(WarehouseException.class, () -> Warehouse.of(db.clickhouse())
                .query("SELECT count() FROM system.numbers", Map.of("max_execution_time", "1")));
        assertEquals(159, e.serverCode());
        assertEquals(408, AnalyticsErrors.ERRORS.toResponse(e).status().intValue());
    }

    @Test
    void shouldKeepTheCacheKeyApartForCohortsAndWatermarks() {
        String k1 = CacheKey.of("p", "UTC", "{}", List.of(), "w1");
        assertNotEquals(k1, CacheKey.of("p", "UTC", "{}", List.of(), "w2"));
        assertNotEquals(k1, CacheKey.of("p", "UTC", "{}", List.of("SELECT 1"), "w1"));
        assertNotEquals(k1, CacheKey.of("q", "UTC", "{}", List.of(), "w1"));
        assertEquals(k1, CacheKey.of("p", "UTC", "{}", List.of(), "w1"));
    }
}
