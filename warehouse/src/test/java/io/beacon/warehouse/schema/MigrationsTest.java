package io.beacon.warehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class MigrationsTest {

    private ClickHouse clickhouse;

    @BeforeEach
    void connect(TestStack stack) {
        // A database per test: each one starts from nothing.
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("wh")));
    }

    @AfterEach
    void close() {
        clickhouse.close();
    }

    @Test
    void shouldReportVersionZeroBeforeTheDatabaseExists() {
        Migrations migrations = new Migrations(clickhouse);

        assertEquals(0, migrations.appliedVersion());
        assertEquals(MigrationCatalog.latestVersion(), migrations.latestVersion());
    }

    @Test
    void shouldCreateTheDatabaseAndApplyEveryMigrationInOrder() {
        Migrations migrations = new Migrations(clickhouse);

        List<Integer> applied = migrations.apply();

        assertEquals(MigrationCatalog.migrations().stream().map(Migration::version).toList(), applied);
        assertEquals(MigrationCatalog.latestVersion(), migrations.appliedVersion());
        assertTrue(migrations.isUpToDate());
        assertEquals("cohort_members\ndeliveries\ndq_counts\nevents\nevents_dedup\nevents_with_person\nexperiment_exposures\nexperiment_exposures_flag_mv\nexperiment_exposures_mv\njourney_events\nperson_distinct_ids\npersons\n"
                + "persons_current\npromoted_columns\nquery_log\nschema_migrations\nsegment_changes\nsessions\nsessions_per_person\nsessions_with_person",
                String.join("\n", clickhouse.query("SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name")
                        .rows().stream().map(r -> r.get(0)).toList()));
    }

    @Test
    void shouldDoNothingWhenAppliedTwice() {
        Migrations migrations = new Migrations(clickhouse);
        migrations.apply();

        List<Integer> second = new Migrations(clickhouse).apply();

        assertEquals(List.of(), second);
        assertEquals(MigrationCatalog.latestVersion(), migrations.appliedVersion());
        assertEquals(MigrationCatalog.migrations().size(),
                clickhouse.queryLong("SELECT count() FROM schema_migrations FINAL"));
    }

    @Test
    void shouldRecordNameAndTimeOfEachVersion() {
        new Migrations(clickhouse).apply();

        var rows = clickhouse.query("SELECT version, name, applied_at > toDateTime('2020-01-01 00:00:00') AS recent "
                + "FROM schema_migrations ORDER BY version").asMaps();

        assertEquals("1", rows.get(0).get("version"));
        assertEquals("create events", rows.get(0).get("name"));
        assertEquals("1", rows.get(0).get("recent"));
        assertEquals("create events_dedup view", rows.get(1).get("name"));
        assertEquals("create promoted_columns", rows.get(2).get("name"));
    }

    @Test
    void shouldApplyOnlyTheMigrationsAddedSinceTheLastRun() {
        new Migrations(clickhouse).apply();
        int next = MigrationCatalog.latestVersion() + 1;
        Migration added = Migration.of(next, "add test column", "ALTER TABLE events ADD COLUMN test_col String DEFAULT ''");
        List<Migration> extended = new java.util.ArrayList<>(MigrationCatalog.migrations());
        extended.add(added);

        List<Integer> applied = new Migrations(clickhouse, extended, java.time.Clock.systemUTC()).apply();

        assertEquals(List.of(next), applied);
        assertEquals(1, clickhouse.queryLong(
                "SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = 'events' AND name = 'test_col'"));
    }

    @Test
    void shouldSkipAnAddColumnWhoseColumnExistsAlready() {
        // Given a process that died after the ALTER ran but before the new version was recorded
        new Migrations(clickhouse).apply();
        clickhouse.execute("ALTER TABLE events ADD COLUMN test_col String");
        int next = MigrationCatalog.latestVersion() + 1;
        List<Migration> extended = new java.util.ArrayList<>(MigrationCatalog.migrations());
        extended.add(Migration.of(next, "add test column", "ALTER TABLE events ADD COLUMN test_col String"));

        // When the migrations run again
        List<Integer> applied = new Migrations(clickhouse, extended, java.time.Clock.systemUTC()).apply();

        // Then the version is recorded without a duplicate-column error
        assertEquals(List.of(next), applied);
        assertEquals(next, new Migrations(clickhouse, extended, java.time.Clock.systemUTC()).appliedVersion());
    }

    @Test
    void shouldRunAdHocStatementsSkippingAnExistingColumn() {
        new Migrations(clickhouse).apply();
        List<String> ddl = MigrationCatalog.addPromotedColumn("p_amount", "Nullable(Float64)");

        boolean first = new Migrations(clickhouse).run(ddl);
        boolean second = new Migrations(clickhouse).run(ddl);

        assertTrue(first);
        assertEquals(false, second);
        assertEquals(1, clickhouse.queryLong("SELECT count() FROM system.columns WHERE database = currentDatabase()"
                + " AND table = 'events_dedup' AND name = 'p_amount'"));
    }

    @Test
    void shouldRefuseAPromotedColumnDdlForAnythingButAPromotedNameAndType() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MigrationCatalog.addPromotedColumn("event_name", "Nullable(String)"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MigrationCatalog.addPromotedColumn("p_x; DROP TABLE events", "Nullable(String)"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MigrationCatalog.addPromotedColumn("p_x", "String DEFAULT 'x'"));
    }
}
