package io.beacon.control.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.store.ConflictException;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.event.RefusedException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DashboardServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Project SHOP = new Project("shop", "Shop", "UTC", EnforcementMode.PERMISSIVE,
            "wk_0123456789abcdef", "sk_0123456789abcdef", "pii_0123456789abcdef");

    /** Our own port: refuses a query whose date_range.from is after its to, and records what it was asked. */
    private final List<JsonNode> checked = new ArrayList<>();
    private final InsightQueryCheck checks = new InsightQueryCheck() {
        @Override
        public Optional<FieldError> query(Project project, String analysis, JsonNode query) {
            checked.add(query);
            return dateRange(project, query.path("date_range"));
        }

        @Override
        public Optional<FieldError> dateRange(Project project, JsonNode range) {
            return range.path("from").asText().compareTo(range.path("to").asText()) > 0
                    ? Optional.of(new FieldError("date_range", "'from' must be before 'to'")) : Optional.empty();
        }
    };
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final DashboardService service = new DashboardService(store, checks, Clock.fixed(NOW, ZoneOffset.UTC));

    private static SavedInsight insight(String id, String from, String to) {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.putObject("date_range").put("from", from).put("to", to);
        return new SavedInsight("shop", id, "Insight " + id, null, "trends", q, 0, 0, 0);
    }

    private static Dashboard dashboard(String id, List<Dashboard.Tile> tiles, Dashboard.SharedRange range) {
        return new Dashboard("shop", id, "Dash " + id, null, tiles, range, 0, 0, 0, 0);
    }

    private static Throwable failure(Runnable r) {
        CompletionException e = assertThrows(CompletionException.class, r::run);
        return e.getCause();
    }

    @Test
    void shouldCheckTheQueryWithItsAnalysisAndStoreTheQueryAsSent() {
        SavedInsight stored = service.put(SHOP, insight("a", "2026-12-01", "2026-12-07"), 0).toCompletableFuture().join();

        assertEquals(1, stored.version());
        assertEquals(NOW.toEpochMilli(), stored.createdAtMs());
        assertEquals("trends", checked.get(0).path("analysis").asText());
        assertTrue(stored.query().path("analysis").isMissingNode(), "stored as the client sent it");
        assertEquals(List.of(stored), service.insights("shop"));
    }

    @Test
    void shouldRefuseAnInvalidQueryWithItsPathAndStoreNothing() {
        RefusedException e = assertThrows(RefusedException.class, () -> service.put(SHOP, insight("a", "2026-12-07", "2026-12-01"), 0));

        assertEquals("INVALID_QUERY", e.code());
        assertEquals("query.date_range", e.field());
        assertEquals(List.of(), service.insights("shop"));
    }

    @Test
    void shouldKeepCreatedAtAndRefuseAStaleVersion() {
        SavedInsight first = service.put(SHOP, insight("a", "2026-12-01", "2026-12-07"), 0).toCompletableFuture().join();
        SavedInsight second = service.put(SHOP, insight("a", "2026-12-02", "2026-12-07"), first.version()).toCompletableFuture().join();

        Throwable stale = failure(() -> service.put(SHOP, insight("a", "2026-12-03", "2026-12-07"), first.version()).toCompletableFuture().join());

        assertEquals(2, second.version());
        assertEquals(first.createdAtMs(), second.createdAtMs());
        assertInstanceOf(ConflictException.class, stale);
        assertEquals("2026-12-02", service.insight("shop", "a").orElseThrow().query().path("date_range").path("from").asText());
    }

    @Test
    void shouldRefuseTilesNamingUnknownInsights() {
        service.put(SHOP, insight("a", "2026-12-01", "2026-12-07"), 0).toCompletableFuture().join();

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> service.put(SHOP,
                dashboard("d", List.of(new Dashboard.Tile("a", 0), new Dashboard.Tile("nope", 0)), null), 0));

        assertEquals("tiles[1].insight", e.first().field());
        assertEquals(List.of(), service.dashboards("shop"));
    }

    @Test
    void shouldRefuseAnInvalidFixedSharedRange() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> service.put(SHOP,
                dashboard("d", List.of(), Dashboard.SharedRange.fixed("2026-12-09", "2026-12-01")), 0));

        assertEquals("date_range", e.first().field());
    }

    @Test
    void shouldRefuseDeletingAnInsightADashboardShowsUntilTheTileIsRemoved() {
        SavedInsight a = service.put(SHOP, insight("a", "2026-12-01", "2026-12-07"), 0).toCompletableFuture().join();
        Dashboard d = service.put(SHOP, dashboard("d", List.of(new Dashboard.Tile("a", 6)), Dashboard.SharedRange.last(7)), 0)
                .toCompletableFuture().join();

        Throwable inUse = failure(() -> service.deleteInsight("shop", "a", a.version()).toCompletableFuture().join());
        service.put(SHOP, dashboard("d", List.of(), null), d.version()).toCompletableFuture().join();
        service.deleteInsight("shop", "a", a.version()).toCompletableFuture().join();

        assertEquals("IN_USE", ((RefusedException) inUse).code());
        assertEquals(List.of(), service.insights("shop"));
    }
}
