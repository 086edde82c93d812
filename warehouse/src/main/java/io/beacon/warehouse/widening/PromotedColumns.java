package io.beacon.warehouse.widening;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.WarehouseException;
import io.beacon.warehouse.schema.MigrationCatalog;
import io.beacon.warehouse.schema.Migrations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Widening ("数据打宽"): keeps one typed, nullable column of {@code events} per promoted property and
 * tells the sink which columns to fill ({@link #snapshot()}). The ClickHouse side of
 * {@link ColumnPromotion}.
 *
 * <h2>What a promotion does</h2>
 * <ol>
 *   <li>The column {@link ColumnNames#columnFor p_<name>} is looked up in {@code system.columns}. If it
 *       is missing, {@link MigrationCatalog#addPromotedColumn} runs: {@code ALTER TABLE events ADD COLUMN
 *       p_<name> <type>} (skipped when another process added it meanwhile) and the re-creation of
 *       {@code events_dedup}.</li>
 *   <li>A row {@code (project, property, column, type, active=1)} goes to {@code promoted_columns}, so
 *       that a restart knows the promotion before the registry is read ({@link #load()}).</li>
 *   <li>Only then a new {@link PromotionSnapshot} is published: the sink fills the column for events of
 *       the project from its next record on. A row never names a column that does not exist yet.</li>
 * </ol>
 * Events stored before the promotion keep {@code NULL} there (no backfill); every property also stays in
 * the {@code properties} pair, promoted or not.
 *
 * <h2>Columns are shared by all projects</h2>
 * There is one {@code events} table, so {@code p_amount} is one column for every project. It is filled
 * only for rows of projects that promoted {@code amount} ({@code NULL} for the others): queries filter
 * by {@code project_id} anyway. The first promotion fixes the column's type; promoting the same name
 * with another type (in another project, or by changing the type of a promoted property) is refused
 * with {@link PromotionOutcome.Status#CONFLICT} and changes nothing — register it under another name.
 * A demotion only stops the filling for that project; the column and its values stay (dropping data
 * is an operator's decision, not a side effect of a registry edit).
 *
 * <h2>Threads</h2>
 * Every operation runs on one daemon thread owned by this object, in call order; the caller never
 * blocks (safe from a config-store listener). {@link #snapshot()} is a lock-free read for the sink.
 */
public final class PromotedColumns implements ColumnPromotion, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PromotedColumns.class);

    private final ClickHouse clickhouse;
    private final Migrations migrations;
    private final Clock clock;
    private final ExecutorService worker;
    private final AtomicReference<PromotionSnapshot> snapshot = new AtomicReference<>(PromotionSnapshot.EMPTY);
    /** Version of the last bookkeeping row written (worker thread only). */
    private long lastVersion;

    /** Widening on {@code clickhouse} (whose schema must be migrated); knows nothing until {@link #load()}. */
    public PromotedColumns(ClickHouse clickhouse) {
        this(clickhouse, Clock.systemUTC());
    }

    PromotedColumns(ClickHouse clickhouse, Clock clock) {
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.migrations = new Migrations(clickhouse);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "beacon-column-promotion");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the promotions recorded in {@code promoted_columns} and makes sure their columns exist
     * (re-adding one that was dropped by hand), then publishes them to the sink. Blocks; call it after
     * the migrations and before the sink starts, so a restarted sink fills the columns from its first
     * record.
     *
     * @return the active promotions found
     * @throws WarehouseException when ClickHouse cannot be read
     */
    public List<Promotion> load() {
        return join(submit(this::loadNow));
    }

    /** What the sink fills right now. */
    public PromotionSnapshot snapshot() {
        return snapshot.get();
    }

    /** Completes once every call made before this one has finished (successfully or not). */
    public CompletableFuture<Void> sync() {
        return submit(() -> null);
    }

    @Override
    public CompletableFuture<PromotionOutcome> promote(Promotion promotion) {
        Objects.requireNonNull(promotion, "promotion");
        return submit(() -> promoteNow(promotion));
    }

    @Override
    public CompletableFuture<PromotionOutcome> demote(String projectId, String property) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(property, "property");
        return submit(() -> demoteNow(projectId, property));
    }

    @Override
    public CompletableFuture<List<PromotionOutcome>> reconcile(Supplier<? extends Collection<Promotion>> wanted) {
        Objects.requireNonNull(wanted, "wanted");
        return submit(() -> {
            Collection<Promotion> target = wanted.get();
            List<PromotionOutcome> outcomes = new ArrayList<>();
            Set<String> keep = new HashSet<>();
            for (Promotion p : target) {
                keep.add(p.projectId() + "\u0000" + p.property());
                outcomes.add(promoteNow(p));
            }
            for (Promotion p : snapshot.get().activePromotions()) {
                if (!keep.contains(p.projectId() + "\u0000" + p.property())) {
                    outcomes.add(demoteNow(p.projectId(), p.property()));
                }
            }
            return List.copyOf(outcomes);
        });
    }

    /** Stops the worker thread, letting a running operation finish (up to 30 s). */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Column promotion worker did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- on the worker thread ------------------------------------------------------------------

    private List<Promotion> loadNow() {
        PromotionSnapshot next = PromotionSnapshot.EMPTY;
        List<Promotion> active = new ArrayList<>();
        for (Map<String, String> row : clickhouse.query("SELECT project_id, property, column_name, column_type, active FROM "
                + MigrationCatalog.PROMOTED_COLUMNS + " FINAL ORDER BY project_id, property").asMaps()) {
            Optional<PromotedType> type = PromotedType.ofColumnType(row.get("column_type"));
            String column = row.get("column_name");
            if (type.isEmpty() || !column.equals(ColumnNames.columnFor(row.get("property")))) {
                LOG.warn("Ignoring unreadable row of {}: {}", MigrationCatalog.PROMOTED_COLUMNS, row);
                continue;
            }
            Optional<String> existing = existingType(column);
            if (existing.isEmpty()) {
                LOG.warn("Promoted column {} is missing from {}; adding it again", column, MigrationCatalog.EVENTS);
                migrations.run(MigrationCatalog.addPromotedColumn(column, type.get().columnType()));
            } else if (!existing.get().equals(type.get().columnType())) {
                LOG.warn("Promoted column {} has type {} but {} says {}; ignoring the row", column, existing.get(),
                        MigrationCatalog.PROMOTED_COLUMNS, type.get().columnType());
                continue;
            }
            next = next.withColumn(new PromotionSnapshot.Column(column, row.get("property"), type.get()));
            if ("1".equals(row.get("active"))) {
                Promotion p = new Promotion(row.get("project_id"), row.get("property"), type.get());
                next = next.withActive(p);
                active.add(p);
            }
        }
        snapshot.set(next);
        LOG.info("Loaded {} promoted properties in {} columns", active.size(), next.columns().size());
        return List.copyOf(active);
    }

    private PromotionOutcome promoteNow(Promotion p) {
        PromotionSnapshot current = snapshot.get();
        String column = p.column();
        Optional<PromotionSnapshot.Column> known = current.column(column);
        if (known.isPresent() && !known.get().property().equals(p.property())) {
            return conflict(p, "column " + column + " already holds property '" + known.get().property() + "'");
        }
        if (known.isPresent() && known.get().type() != p.type()) {
            return conflict(p, "column " + column + " has type " + known.get().type().wireName()
                    + "; a promoted property keeps the type it was first promoted with");
        }
        Optional<Promotion> active = current.promotion(p.projectId(), p.property());
        if (active.isPresent() && active.get().type() == p.type()) {
            return outcome(p, PromotionOutcome.Status.UNCHANGED, "already promoted");
        }
        boolean added = false;
        if (known.isEmpty()) {
            Optional<String> existing = existingType(column);
            if (existing.isPresent() && !existing.get().equals(p.type().columnType())) {
                return conflict(p, "column " + column + " exists with type " + existing.get());
            }
            if (existing.isEmpty()) {
                added = addColumn(p, column);
            }
        }
        record(p, column, true);
        snapshot.set(snapshot.get()
                .withColumn(new PromotionSnapshot.Column(column, p.property(), p.type()))
                .withActive(p));
        LOG.info("Promoted property '{}' of project {} to column {} {}{}", p.property(), p.projectId(), column,
                p.type().columnType(), added ? " (column added)" : "");
        return outcome(p, added ? PromotionOutcome.Status.COLUMN_ADDED : PromotionOutcome.Status.ACTIVATED,
                added ? "column added" : "column exists");
    }

    /** Adds the column; true when this call added it, false when another process was faster. */
    private boolean addColumn(Promotion p, String column) {
        List<String> ddl = MigrationCatalog.addPromotedColumn(column, p.type().columnType());
        try {
            return migrations.run(ddl);
        } catch (WarehouseException e) {
            // Another process may have added it between our check and our ALTER (duplicate column).
            Optional<String> now = existingType(column);
            if (now.isPresent() && now.get().equals(p.type().columnType())) {
                migrations.run(ddl.subList(1, ddl.size()));
                return false;
            }
            throw e;
        }
    }

    private PromotionOutcome demoteNow(String projectId, String property) {
        PromotionSnapshot current = snapshot.get();
        Optional<Promotion> active = current.promotion(projectId, property);
        String column = ColumnNames.columnFor(property);
        if (active.isEmpty()) {
            return new PromotionOutcome(projectId, property, column, PromotionOutcome.Status.UNCHANGED, "not promoted");
        }
        record(active.get(), column, false);
        snapshot.set(snapshot.get().withoutActive(projectId, property));
        LOG.info("Demoted property '{}' of project {}: column {} is no longer filled for it", property, projectId, column);
        return new PromotionOutcome(projectId, property, column, PromotionOutcome.Status.DEMOTED, "no longer filled");
    }

    private Optional<String> existingType(String column) {
        List<List<String>> rows = clickhouse.query("SELECT type FROM system.columns WHERE database = currentDatabase()"
                + " AND table = '" + MigrationCatalog.EVENTS + "' AND name = '" + column + "'").rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).get(0));
    }

    private void record(Promotion p, String column, boolean active) {
        lastVersion = Math.max(clock.millis(), lastVersion + 1);
        ObjectNode row = JsonNodeFactory.instance.objectNode()
                .put("project_id", p.projectId())
                .put("property", p.property())
                .put("column_name", column)
                .put("column_type", p.type().columnType())
                .put("active", active ? 1 : 0)
                .put("updated_at_ms", lastVersion);
        clickhouse.insertJsonEachRow(MigrationCatalog.PROMOTED_COLUMNS, List.of(row.toString()));
    }

    private static PromotionOutcome conflict(Promotion p, String message) {
        LOG.warn("Not promoting property '{}' of project {}: {}", p.property(), p.projectId(), message);
        return outcome(p, PromotionOutcome.Status.CONFLICT, message);
    }

    private static PromotionOutcome outcome(Promotion p, PromotionOutcome.Status status, String message) {
        return new PromotionOutcome(p.projectId(), p.property(), p.column(), status, message);
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Exception e) {
                    LOG.warn("Column promotion failed (call again or reconcile to retry): {}", e.toString());
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("column promotion is closed", e));
        }
        return result;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
