package io.beacon.warehouse.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.ServerVersion;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link MigrationCatalog} to the configured database at startup: creates the database and
 * {@code schema_migrations} if missing, then runs every migration whose version is not recorded yet, in
 * version order, recording each one after its statements succeeded. Running it again is a no-op.
 *
 * <p>Several processes may start at once: every statement is idempotent, so the worst case is that two
 * of them run the same {@code IF NOT EXISTS} statement and both record the version.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** ClickHouse's UNKNOWN_TABLE and UNKNOWN_DATABASE codes: nothing applied yet. */
    private static final Set<Integer> NOTHING_YET = Set.of(60, 81);
    /** {@code ALTER TABLE <table> ADD COLUMN <column> …} with plain identifiers and no IF NOT EXISTS. */
    static final Pattern ADD_COLUMN = Pattern.compile(
            "(?is)\\s*ALTER\\s+TABLE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+ADD\\s+COLUMN\\s+(?!IF\\s)([A-Za-z_][A-Za-z0-9_.]*)\\s+.*");

    private final ClickHouse clickhouse;
    private final List<Migration> migrations;
    private final Clock clock;

    /** Migrations of the {@link MigrationCatalog}. */
    public Migrations(ClickHouse clickhouse) {
        this(clickhouse, MigrationCatalog.migrations(), Clock.systemUTC());
    }

    /** Migrations of another catalogue (tests); versions must be strictly increasing. */
    public Migrations(ClickHouse clickhouse, List<Migration> migrations, Clock clock) {
        this.clickhouse = Objects.requireNonNull(clickhouse, "clickhouse");
        this.migrations = List.copyOf(migrations);
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 1; i < this.migrations.size(); i++) {
            if (this.migrations.get(i).version() <= this.migrations.get(i - 1).version()) {
                throw new IllegalArgumentException("migration versions must increase: " + this.migrations);
            }
        }
    }

    /**
     * Brings the database up to {@link #latestVersion()}.
     *
     * @return the versions applied by this call, empty when the schema was already current
     * @throws WarehouseException when a statement fails; versions before it stay applied and recorded
     */
    public List<Integer> apply() {
        ServerVersion server = clickhouse.serverRelease();
        if (server.supported()) {
            LOG.info("ClickHouse {} at {}", server, clickhouse.settings().url());
        } else {
            LOG.warn("ClickHouse {} at {} is older than {}, the oldest version Beacon is tested on; statements may fail",
                    server, clickhouse.settings().url(), ServerVersion.OLDEST_SUPPORTED);
        }
        clickhouse.executeOutsideDatabase("CREATE DATABASE IF NOT EXISTS " + clickhouse.database());
        clickhouse.execute(MigrationCatalog.CREATE_SCHEMA_MIGRATIONS);
        Set<Integer> applied = appliedVersions();
        List<Integer> appliedNow = new ArrayList<>();
        for (Migration migration : migrations) {
            if (applied.contains(migration.version())) {
                continue;
            }
            LOG.info("Applying ClickHouse migration {} ({}) to {}", migration.version(), migration.name(), clickhouse.database());
            for (String statement : migration.statements()) {
                if (addsExistingColumn(statement)) {
                    continue;
                }
                clickhouse.execute(statement);
            }
            record(migration);
            appliedNow.add(migration.version());
        }
        return List.copyOf(appliedNow);
    }

    /**
     * Runs {@code statements} outside the numbered sequence (the DDL of widening,
     * {@link MigrationCatalog#addPromotedColumn}), in order, with the same idempotency rule as
     * {@link #apply()}: an {@code ALTER TABLE t ADD COLUMN c …} whose column exists is skipped. Nothing is
     * recorded in {@code schema_migrations}.
     *
     * @return whether an {@code ADD COLUMN} among them actually added its column
     * @throws WarehouseException when a statement fails; the ones before it stay applied
     */
    public boolean run(List<String> statements) {
        boolean added = false;
        for (String statement : statements) {
            if (addsExistingColumn(statement)) {
                continue;
            }
            clickhouse.execute(statement);
            added |= ADD_COLUMN.matcher(statement).matches();
        }
        return added;
    }

    /**
     * The highest recorded version, 0 when the database or {@code schema_migrations} does not exist yet.
     * A readiness check compares it with {@link #latestVersion()}.
     *
     * @throws WarehouseException when ClickHouse cannot be asked
     */
    public int appliedVersion() {
        try {
            return (int) clickhouse.queryLong("SELECT max(version) FROM " + MigrationCatalog.SCHEMA_MIGRATIONS);
        } catch (WarehouseException e) {
            if (NOTHING_YET.contains(e.serverCode())) {
                return 0;
            }
            throw e;
        }
    }

    /** The version this code expects. */
    public int latestVersion() {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    /** Whether every migration of the catalogue is recorded as applied. */
    public boolean isUpToDate() {
        return appliedVersion() >= latestVersion();
    }

    /**
     * 18.16 has no {@code ADD COLUMN IF NOT EXISTS}, so a plain {@code ALTER TABLE t ADD COLUMN c …} is
     * made idempotent here: skipped when {@code system.columns} already lists the column (a process died
     * after the ALTER but before recording the version).
     */
    private boolean addsExistingColumn(String statement) {
        Matcher m = ADD_COLUMN.matcher(statement);
        if (!m.matches()) {
            return false;
        }
        return clickhouse.queryLong("SELECT count() FROM system.columns WHERE database = currentDatabase()"
                + " AND table = '" + m.group(1) + "' AND name = '" + m.group(2) + "'") > 0;
    }

    private Set<Integer> appliedVersions() {
        Set<Integer> versions = new HashSet<>();
        for (List<String> row : clickhouse.query("SELECT DISTINCT version FROM " + MigrationCatalog.SCHEMA_MIGRATIONS).rows()) {
            versions.add(Integer.parseInt(row.get(0)));
        }
        return versions;
    }

    private void record(Migration migration) {
        ObjectNode row = JsonNodeFactory.instance.objectNode()
                .put("version", migration.version())
                .put("name", migration.name())
                .put("applied_at", clock.millis() / 1000);
        clickhouse.insertJsonEachRow(MigrationCatalog.SCHEMA_MIGRATIONS, List.of(row.toString()));
    }
}
