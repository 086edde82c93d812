package io.beacon.warehouse.schema;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one schema catalogue: every ClickHouse DDL statement Beacon runs, as versioned migrations.
 * Nothing else in the code base spells a {@code CREATE TABLE}; table and view names are the constants
 * below.
 *
 * <p><b>Compatibility.</b> Every statement runs on ClickHouse 18.16 and on current releases: no
 * {@code DateTime64}, {@code Map}, {@code TTL} or {@code LowCardinality}; times are {@code DateTime('UTC')}
 * plus a UInt64 epoch-millisecond column; custom properties are {@code Nested(key, value)} string pairs.
 *
 * <p><b>Changing the schema.</b> Append a migration with the next version; never edit or renumber one
 * that has shipped. Every statement must be harmless to re-run: {@code CREATE … IF NOT EXISTS},
 * {@code DROP … IF EXISTS}. 18.16 has no {@code ADD COLUMN IF NOT EXISTS} (syntax error there), so add
 * columns with a plain {@code ALTER TABLE t ADD COLUMN c Type} on one line per column: {@link Migrations}
 * skips it when the column exists already. 18.16 stores a view's column list at creation: a migration that adds columns to
 * {@value #EVENTS} must also {@code DROP TABLE IF EXISTS} (18.16 has no {@code DROP VIEW}) and re-create {@value #EVENTS_DEDUP}.
 *
 * <p><b>Widening.</b> Besides the numbered migrations, {@link #addPromotedColumn} is the DDL of a
 * promoted property's typed column ({@code p_…}); base columns never start with
 * {@value #PROMOTED_COLUMN_PREFIX}.
 */
public final class MigrationCatalog {

    /** The bookkeeping table of applied versions (not itself versioned: it has to exist first). */
    public static final String SCHEMA_MIGRATIONS = "schema_migrations";
    /** One row per event, deduplicated on read with {@code FINAL}; see {@code package-info}. */
    public static final String EVENTS = "events";
    /** {@code SELECT * FROM events FINAL}, for ad-hoc SQL; see {@code package-info} for its limits. */
    public static final String EVENTS_DEDUP = "events_dedup";
    /** A/B-test exposures, one row per (project, experiment, unit, variation); filled by {@value #EXPERIMENT_EXPOSURES_MV}. */
    public static final String EXPERIMENT_EXPOSURES = "experiment_exposures";
    /** The materialized view that fills {@value #EXPERIMENT_EXPOSURES} from {@value #EVENTS}. */
    public static final String EXPERIMENT_EXPOSURES_MV = "experiment_exposures_mv";
    /** Which properties are promoted to typed columns of {@value #EVENTS}, per project (widening). */
    public static final String PROMOTED_COLUMNS = "promoted_columns";
    /**
     * Every column added by widening starts with this prefix; no base column of {@value #EVENTS} may
     * (see {@code io.beacon.warehouse.widening.ColumnNames}).
     */
    public static final String PROMOTED_COLUMN_PREFIX = "p_";

    /**
     * {@code schema_migrations}: a ReplacingMergeTree on {@code version}, so two processes migrating at
     * the same moment (both statements are idempotent) leave at most a duplicate row that merges away and
     * never a wrong {@code max(version)}.
     */
    static final String CREATE_SCHEMA_MIGRATIONS = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    UInt32,
                name       String,
                applied_at DateTime('UTC')
            ) ENGINE = ReplacingMergeTree()
            ORDER BY version""";

    /**
     * The events table, one column per {@link io.beacon.event.Event} field (see
     * {@link io.beacon.warehouse.sink.EventRows} for the mapping).
     *
     * <ul>
     *   <li><b>Engine and key.</b> {@code ReplacingMergeTree} with sorting key
     *       {@code (project_id, event_date, event_name, event_id)}: every part is a function of the event
     *       itself, so a replayed copy of an event has exactly the same key and merges (or {@code FINAL})
     *       collapse it to one row. The order serves the common analytics filters — one project, a date
     *       range, then one or a few event names — and ends in {@code event_id} to make the key unique
     *       per event. There is no version column: copies are identical apart from {@code inserted_at}.</li>
     *   <li><b>Partitioning.</b> Monthly by {@code event_date}; a replayed copy always lands in the same
     *       partition as the original (replacing only works within a partition).</li>
     *   <li><b>Time.</b> {@code event_time} is {@code DateTime('UTC')} (second precision) for date
     *       functions; {@code event_time_ms} is the full epoch millisecond (UInt64), for ordering within a
     *       second and exact windows; {@code event_date} is the UTC date of {@code event_time}.
     *       {@code client_time_ms} and {@code sent_at_ms} are 0 when the client sent none.</li>
     *   <li><b>Strings</b> are non-nullable, {@code ''} when absent (ClickHouse style: cheaper, and
     *       {@code = ''} is simpler to query than {@code IS NULL}).</li>
     *   <li><b>Properties and traits</b> are {@code Nested(key String, value String)}: string values as
     *       they are, every other JSON value as its JSON text ({@code 42}, {@code true}, {@code {"a":1}}).
     *       Read one with {@code properties.value[indexOf(properties.key, 'plan')]}.</li>
     * </ul>
     */
    static final String CREATE_EVENTS = """
            CREATE TABLE IF NOT EXISTS events (
                project_id      String,
                event_id        String,
                event_type      String,
                event_name      String,
                event_time      DateTime('UTC'),
                event_time_ms   UInt64,
                event_date      Date,
                user_id         String,
                device_id       String,
                distinct_id     String,
                session_id      String,
                platform        String,
                country         String,
                region          String,
                city            String,
                device_model    String,
                os_name         String,
                os_version      String,
                app_version     String,
                page_url        String,
                page_title      String,
                page_path       String,
                referrer        String,
                ip              String,
                user_agent      String,
                library_name    String,
                library_version String,
                group_id        String,
                previous_id     String,
                received_at     DateTime('UTC'),
                received_at_ms  UInt64,
                client_time_ms  UInt64,
                sent_at_ms      UInt64,
                properties      Nested(key String, value String),
                traits          Nested(key String, value String),
                warnings        Array(String),
                inserted_at     DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree()
            PARTITION BY toYYYYMM(event_date)
            ORDER BY (project_id, event_date, event_name, event_id)
            SETTINGS index_granularity = 8192""";

    /** The deduplicated view; the server qualifies {@code events} with the database at creation. */
    static final String CREATE_EVENTS_DEDUP = """
            CREATE VIEW IF NOT EXISTS events_dedup AS
            SELECT * FROM events FINAL""";

    /**
     * The bookkeeping of widening ({@code io.beacon.warehouse.widening.PromotedColumns}): one row per
     * (project, property) that was ever promoted, the column it fills and whether it is still promoted.
     * A {@code ReplacingMergeTree} on {@code updated_at_ms}: the latest row of a (project, property) wins,
     * read with {@code FINAL}. Tiny (one row per promoted property), read once at startup.
     */
    static final String CREATE_PROMOTED_COLUMNS = """
            CREATE TABLE IF NOT EXISTS promoted_columns (
                project_id    String,
                property      String,
                column_name   String,
                column_type   String,
                active        UInt8,
                updated_at_ms UInt64
            ) ENGINE = ReplacingMergeTree(updated_at_ms)
            ORDER BY (project_id, property)""";

    /**
     * A/B-test exposures (module {@code abtest}): one row per (project, experiment, unit, variation), filled
     * from {@value #EVENTS} by {@value #EXPERIMENT_EXPOSURES_MV}. A unit with rows for two variations is
     * how analyses detect and exclude units exposed to more than one variation, which is why the variation
     * is part of the key. {@code ReplacingMergeTree(keep_earliest)} with {@code keep_earliest = C −
     * exposure_time_ms} keeps the <em>first</em> exposure of a unit/variation when copies merge (a
     * replayed or re-sent exposure has the same key); queries still aggregate with {@code min()} so they
     * are right before merges too. No partitioning: replacing only works within a partition, and a unit's
     * exposures span months.
     */
    static final String CREATE_EXPERIMENT_EXPOSURES = """
            CREATE TABLE IF NOT EXISTS experiment_exposures (
                project_id       String,
                experiment_key   String,
                distinct_id      String,
                variation_key    String,
                exposure_time    DateTime('UTC'),
                exposure_time_ms UInt64,
                event_id         String,
                keep_earliest    UInt64
            ) ENGINE = ReplacingMergeTree(keep_earliest)
            ORDER BY (project_id, experiment_key, distinct_id, variation_key)""";

    /**
     * Copies every {@code $experiment_exposure} event that names its experiment and variation into
     * {@value #EXPERIMENT_EXPOSURES} as the sink inserts it (18.16: {@code TO} target table; the
     * arithmetic is done in Int64 because UInt64 − UInt64 is Int64 there).
     */
    static final String CREATE_EXPERIMENT_EXPOSURES_MV = """
            CREATE MATERIALIZED VIEW IF NOT EXISTS experiment_exposures_mv TO experiment_exposures AS
            SELECT project_id,
                   properties.value[indexOf(properties.key, 'experiment_key')] AS experiment_key,
                   distinct_id,
                   properties.value[indexOf(properties.key, 'variation_key')] AS variation_key,
                   event_time AS exposure_time,
                   event_time_ms AS exposure_time_ms,
                   event_id,
                   toUInt64(toInt64(9999999999999) - toInt64(event_time_ms)) AS keep_earliest
            FROM events
            WHERE event_name = '$experiment_exposure'
              AND has(properties.key, 'experiment_key') AND has(properties.key, 'variation_key')""";

    /** Exposures stored before the view existed; a re-run only adds copies that merge away. */
    static final String BACKFILL_EXPERIMENT_EXPOSURES = """
            INSERT INTO experiment_exposures
            SELECT project_id,
                   properties.value[indexOf(properties.key, 'experiment_key')],
                   distinct_id,
                   properties.value[indexOf(properties.key, 'variation_key')],
                   event_time, event_time_ms, event_id,
                   toUInt64(toInt64(9999999999999) - toInt64(event_time_ms))
            FROM events FINAL
            WHERE event_name = '$experiment_exposure'
              AND has(properties.key, 'experiment_key') AND has(properties.key, 'variation_key')""";

    private static final Pattern PROMOTED_COLUMN = Pattern.compile(PROMOTED_COLUMN_PREFIX + "[a-z0-9_]+");
    private static final Set<String> PROMOTED_COLUMN_TYPES = Set.of("Nullable(String)", "Nullable(Float64)",
            "Nullable(UInt8)", "Nullable(DateTime('UTC'))", "Array(String)");

    private static final List<Migration> MIGRATIONS = List.of(
            Migration.of(1, "create events", CREATE_EVENTS),
            Migration.of(2, "create events_dedup view", CREATE_EVENTS_DEDUP),
            Migration.of(3, "create promoted_columns", CREATE_PROMOTED_COLUMNS),
            Migration.of(4, "create experiment_exposures", CREATE_EXPERIMENT_EXPOSURES,
                    CREATE_EXPERIMENT_EXPOSURES_MV, BACKFILL_EXPERIMENT_EXPOSURES));

    /**
     * The DDL that adds a promoted column to {@value #EVENTS} (widening): the {@code ADD COLUMN} (which
     * {@link Migrations#run} skips when the column exists — 18.16 has no {@code IF NOT EXISTS} there),
     * then {@value #EVENTS_DEDUP} dropped ({@code DROP TABLE}: 18.16 has no {@code DROP VIEW}) and re-created so that its stored column list includes the new
     * column. Not a numbered migration: which columns exist depends on the registry, not on the code
     * version; {@value #PROMOTED_COLUMNS} records them.
     *
     * @param column     a name from {@code ColumnNames.columnFor} ({@code p_[a-z0-9_]+})
     * @param columnType one of the five types of {@code PromotedType}
     * @throws IllegalArgumentException for any other name or type (nothing else may reach the DDL)
     */
    public static List<String> addPromotedColumn(String column, String columnType) {
        if (!PROMOTED_COLUMN.matcher(column).matches()) {
            throw new IllegalArgumentException("not a promoted column name: " + column);
        }
        if (!PROMOTED_COLUMN_TYPES.contains(columnType)) {
            throw new IllegalArgumentException("not a promoted column type: " + columnType);
        }
        return List.of(
                "ALTER TABLE " + EVENTS + " ADD COLUMN " + column + " " + columnType,
                // 18.16 has no DROP VIEW (syntax error); DROP TABLE drops a view on every version.
                "DROP TABLE IF EXISTS " + EVENTS_DEDUP,
                CREATE_EVENTS_DEDUP);
    }

    private MigrationCatalog() {
    }

    /** Every migration, in version order. */
    public static List<Migration> migrations() {
        return MIGRATIONS;
    }

    /** The version a fully migrated database has. */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }
}
