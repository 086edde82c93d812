package io.beacon.control.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.InMemoryConfigStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ModelPromotionServiceTest {
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final ModelPromotionService service = new ModelPromotionService(store,
            Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldKeepThePreviousChampionSoARollbackCanPromoteIt() {
        store.start();
        ModelPromotion first = service.promote("p1", "churn", "churn-1").toCompletableFuture().join();
        assertEquals("churn-1", first.version());
        assertNull(first.previousVersion());
        ModelPromotion second = service.promote("p1", "churn", "churn-2").toCompletableFuture().join();
        assertEquals("churn-2", second.version());
        assertEquals("churn-1", second.previousVersion());
        assertEquals(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli(), second.promotedAtMs());
        // rollback: promote the previous one; the version it replaced becomes the previous
        ModelPromotion back = service.promote("p1", "churn", second.previousVersion()).toCompletableFuture().join();
        assertEquals("churn-1", back.version());
        assertEquals("churn-2", back.previousVersion());
        assertEquals(1, service.list("p1").size());
        assertTrue(service.list("p2").isEmpty(), "promotions are per project");
    }

    @Test
    void shouldKeepAChallengerAcrossAPromotionUnlessItIsTheOnePromoted() {
        store.start();
        service.promote("p1", "churn", "churn-1").toCompletableFuture().join();
        ModelPromotion c = service.challenger("p1", "churn", "churn-2", 0.2).toCompletableFuture().join();
        assertEquals("churn-2", c.challengerVersion());
        assertEquals(0.2, c.challengerShare());
        ModelPromotion promoted = service.promote("p1", "churn", "churn-2").toCompletableFuture().join();
        assertNull(promoted.challengerVersion(), "the challenger won: it is the champion now");
        assertEquals(0.0, promoted.challengerShare());
        ModelPromotion removed = service.challenger("p1", "churn", "churn-3", 0.5).thenCompose(x ->
                service.challenger("p1", "churn", null, 0)).toCompletableFuture().join();
        assertNull(removed.challengerVersion());
        assertEquals("churn-2", removed.version());
    }

    @Test
    void shouldRejectBadValuesNamingTheField() {
        store.start();
        assertEquals("task", assertThrows(InvalidDocumentException.class,
                () -> ModelPromotion.requireValid("retention", "v1", null, 0)).first().field());
        assertEquals("version", assertThrows(InvalidDocumentException.class,
                () -> ModelPromotion.requireValid("churn", "../etc/passwd", null, 0)).first().field());
        assertEquals("challenger_share", assertThrows(InvalidDocumentException.class,
                () -> ModelPromotion.requireValid("churn", "v1", "v2", 1.5)).first().field());
        assertEquals("challenger_version", assertThrows(InvalidDocumentException.class,
                () -> ModelPromotion.requireValid("churn", "v1", "v1", 0.5)).first().field());
        assertEquals("task", assertThrows(InvalidDocumentException.class,
                () -> service.challenger("p1", "churn", "v2", 0.5)).first().field(), "no champion yet");
        assertTrue(service.list("p1").isEmpty(), "nothing written");
    }
}
