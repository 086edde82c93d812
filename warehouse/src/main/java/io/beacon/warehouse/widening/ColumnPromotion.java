package io.beacon.warehouse.widening;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The warehouse's port for widening: whoever owns the property registry tells it which properties are
 * promoted, the warehouse adds and fills the typed columns. The warehouse does not know the registry
 * (module arrows: warehouse depends on event-model only); the platform connects a registry listener
 * to this interface.
 *
 * <p>Calls never block the caller: the work (ClickHouse DDL) runs on the implementation's own thread,
 * one call after another in call order, so a listener on the config store's thread can call it
 * directly. The returned future completes when the change is in ClickHouse <em>and</em> visible to the
 * sink. It fails only when ClickHouse could not be reached or refused a statement; calling again (or
 * {@link #reconcile}) retries.
 */
public interface ColumnPromotion {

    /**
     * Promotes {@code promotion}: adds its column to {@code events} if missing (and re-creates
     * {@code events_dedup}), records it in {@code promoted_columns}, then lets the sink fill the column
     * for events of the project. Idempotent.
     */
    CompletableFuture<PromotionOutcome> promote(Promotion promotion);

    /**
     * Stops filling {@code property}'s column for events of {@code projectId} (property deleted or no
     * longer promoted). The column and the values already written stay. Idempotent.
     */
    CompletableFuture<PromotionOutcome> demote(String projectId, String property);

    /**
     * Makes the active promotions exactly {@code wanted}: promotes those missing and demotes the others.
     * {@code wanted} is evaluated on the implementation's thread, in order with the other calls, so a
     * caller that registered its change listener <em>before</em> calling this misses no change in
     * between. For startup, after a listener was registered.
     */
    CompletableFuture<List<PromotionOutcome>> reconcile(Supplier<? extends Collection<Promotion>> wanted);
}
