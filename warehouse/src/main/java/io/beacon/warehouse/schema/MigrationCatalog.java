package io.beacon.warehouse.schema;

import java.util.List;

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
 * {@value #EVENTS} must also {@code DROP VIEW IF EXISTS} and re-create {@value #EVENTS_DEDUP}.
 */
public final class MigrationCatalog {

    /** The bookkeeping table of applied versions (not itself versioned: it has to exist first). */
    public static final String SCHEMA_MIGRATIONS = "schema_migrations";
    /** One row per event, deduplicated on read with {@code FINAL}; see {@code package-info}. */
    public static final String EVENTS = "events";
    /** {@code SELECT * FROM events FINAL}, for ad-hoc SQL; see {@code package-info} for its limits. */
    public static final String EVENTS_DEDUP = "events_dedup";

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

    private static final List<Migration> MIGRATIONS = List.of(
            Migration.of(1, "create events", CREATE_EVENTS),
            Migration.of(2, "create events_dedup view", CREATE_EVENTS_DEDUP));

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
