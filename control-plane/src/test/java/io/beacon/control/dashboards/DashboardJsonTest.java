package io.beacon.control.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREND = "{\"date_range\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-07\"},"
            + "\"series\":[{\"event\":\"Product Viewed\",\"math\":\"unique_persons\"}],\"breakdown\":{\"property\":\"platform\",\"limit\":10}}";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String fieldOf(Runnable parse) {
        return assertThrows(InvalidDocumentException.class, parse::run).first().field();
    }

    @Test
    void shouldReadASavedInsightAndWriteItBackWithTheQueryUnchanged() {
        SavedInsight s = DashboardJson.parseInsight(json("{\"name\":\"Viewers by platform\",\"description\":\"weekly\","
                + "\"analysis\":\"trends\",\"query\":" + TREND + "}"), "shop", "ins_1");

        SavedInsight back = DashboardJson.insightFromEntry(new ConfigEntry(SavedInsight.key("shop", "ins_1"), 3,
                DashboardJson.toDocument(s.stamped(0, 1000, 2000))));

        assertEquals("Viewers by platform", back.name());
        assertEquals("weekly", back.description());
        assertEquals("trends", back.analysis());
        assertEquals(json(TREND), back.query());
        assertEquals(3, back.version());
        assertEquals(1000, back.createdAtMs());
        assertEquals(2000, back.updatedAtMs());
    }

    @Test
    void shouldAcceptAGetAnswerSentBack() {
        SavedInsight s = DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"funnels\",\"query\":{}}"), "shop", "a");
        JsonNode answer = DashboardJson.toApiJson(s.stamped(4, 1, 2));

        SavedInsight again = DashboardJson.parseInsight(answer, "shop", "a");

        assertEquals(s.query(), again.query());
        assertEquals("funnels", again.analysis());
    }

    @Test
    void shouldRefuseInsightsWithoutNameOrWithUnknownFieldsOrAnalyses() {
        assertEquals("name", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"\",\"analysis\":\"trends\",\"query\":{}}"), "p", "a")));
        assertEquals("name", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"" + "x".repeat(201)
                + "\",\"analysis\":\"trends\",\"query\":{}}"), "p", "a")));
        assertEquals("colour", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"trends\",\"query\":{},"
                + "\"colour\":1}"), "p", "a")));
        assertEquals("analysis", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"pie\",\"query\":{}}"), "p", "a")));
        assertEquals("query", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"trends\",\"query\":[]}"), "p", "a")));
        assertEquals("query.analysis", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"trends\","
                + "\"query\":{\"analysis\":\"funnels\"}}"), "p", "a")));
        assertEquals("id", fieldOf(() -> DashboardJson.parseInsight(json("{\"id\":\"b\",\"name\":\"n\",\"analysis\":\"trends\",\"query\":{}}"), "p", "a")));
        assertEquals("id", fieldOf(() -> DashboardJson.parseInsight(json("{\"name\":\"n\",\"analysis\":\"trends\",\"query\":{}}"), "p", "bad id")));
        assertEquals("project_id", fieldOf(() -> DashboardJson.parseInsight(json("{\"project_id\":\"other\",\"name\":\"n\","
                + "\"analysis\":\"trends\",\"query\":{}}"), "p", "a")));
    }

    @Test
    void shouldRefuseAQueryLargerThanTheBound() {
        String big = "{\"name\":\"n\",\"analysis\":\"trends\",\"query\":{\"x\":\"" + "y".repeat(DashboardJson.MAX_QUERY_BYTES) + "\"}}";

        assertEquals("query", fieldOf(() -> DashboardJson.parseInsight(json(big), "p", "a")));
    }

    @Test
    void shouldReadADashboardWithTilesRangeAndRefresh() {
        Dashboard d = DashboardJson.parseDashboard(json("{\"name\":\"Shop\",\"tiles\":[{\"insight\":\"a\",\"width\":6},{\"insight\":\"b\"}],"
                + "\"date_range\":{\"last_days\":14},\"refresh_seconds\":60}"), "shop", "dash_1");

        Dashboard back = DashboardJson.dashboardFromEntry(new ConfigEntry(ConfigKey.of(Dashboard.KIND, "shop", "dash_1"), 2,
                DashboardJson.toDocument(d.stamped(0, 5, 6))));

        assertEquals(List.of(new Dashboard.Tile("a", 6), new Dashboard.Tile("b", 0)), back.tiles());
        assertEquals(Dashboard.SharedRange.last(14), back.dateRange());
        assertEquals(60, back.refreshSeconds());
        assertEquals(2, back.version());
    }

    @Test
    void shouldReadADashboardWithoutTilesOrRangeAndAFixedRange() {
        Dashboard empty = DashboardJson.parseDashboard(json("{\"name\":\"Empty\"}"), "shop", "d");
        Dashboard fixed = DashboardJson.parseDashboard(json("{\"name\":\"F\",\"date_range\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-03\"}}"),
                "shop", "d");

        assertEquals(List.of(), empty.tiles());
        assertNull(empty.dateRange());
        assertEquals(0, empty.refreshSeconds());
        assertEquals(Dashboard.SharedRange.fixed("2026-12-01", "2026-12-03"), fixed.dateRange());
    }

    @Test
    void shouldNameTheFieldOfABadTileRangeOrRefresh() {
        assertEquals("tiles[1].insight", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\",\"tiles\":[{\"insight\":\"a\"},{}]}"),
                "p", "d")));
        assertEquals("tiles[0].width", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\",\"tiles\":[{\"insight\":\"a\","
                + "\"width\":13}]}"), "p", "d")));
        assertEquals("tiles[0].size", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\",\"tiles\":[{\"insight\":\"a\","
                + "\"size\":1}]}"), "p", "d")));
        assertEquals("refresh_seconds", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\",\"refresh_seconds\":10}"), "p", "d")));
        assertEquals("date_range.last_days", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\","
                + "\"date_range\":{\"last_days\":0}}"), "p", "d")));
        assertEquals("date_range.to", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\","
                + "\"date_range\":{\"from\":\"2026-12-01\"}}"), "p", "d")));
        assertEquals("tiles", fieldOf(() -> DashboardJson.parseDashboard(json("{\"name\":\"n\",\"tiles\":[" + "{\"insight\":\"a\"},".repeat(50)
                + "{\"insight\":\"a\"}]}"), "p", "d")));
    }
}
