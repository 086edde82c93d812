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
 * {@value #EVENTS} must also {@code DROP TABLE IF EXISTS} (18.16 has no {@code DROP VIEW}) and re-create {@value #EVENTS_DEDUP}
 * and {@value #EVENTS_WITH_PERSON}.
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
    /** The materialized view that fills {@value #EXPERIMENT_EXPOSURES} from posthog-js's {@code $feature_flag_called} events. */
    public static final String EXPERIMENT_EXPOSURES_FLAG_MV = "experiment_exposures_flag_mv";
    /** One row per session version; current state with {@code FINAL} and {@code is_deleted = 0}; see {@link #CREATE_SESSIONS}. */
    public static final String SESSIONS = "sessions";
    /** Distinct id → person links, latest version wins; see {@link #CREATE_PERSON_DISTINCT_IDS}. */
    public static final String PERSON_DISTINCT_IDS = "person_distinct_ids";
    /** Person properties, one row per (project, person, key); see {@link #CREATE_PERSONS}. */
    public static final String PERSONS = "persons";
    /** Helper view: {@value #EVENTS} deduplicated, with {@code resolved_person_id} attributed at query time. */
    public static final String EVENTS_WITH_PERSON = "events_with_person";
    /** Helper view: live sessions with {@code resolved_person_id}. */
    public static final String SESSIONS_WITH_PERSON = "sessions_with_person";
    /** Helper view: per resolved person, session count and totals. */
    public static final String SESSIONS_PER_PERSON = "sessions_per_person";
    /** Helper view: current person properties per resolved person. */
    public static final String PERSONS_CURRENT = "persons_current";
    /** Which properties are promoted to typed columns of {@value #EVENTS}, per project (widening). */
    public static final String PROMOTED_COLUMNS = "promoted_columns";
    /** Static cohort members (module {@code analytics}); see {@link #CREATE_COHORT_MEMBERS}. */
    public static final String COHORT_MEMBERS = "cohort_members";
    /** One row per statement an analysis ran (module {@code analytics}); see {@link #CREATE_QUERY_LOG}. */
    public static final String QUERY_LOG = "query_log";
    /** Realtime segment entries/exits (module {@code actor-engine}); see {@link #CREATE_SEGMENT_CHANGES}. */
    public static final String SEGMENT_CHANGES = "segment_changes";
    /** Every delivery attempt of the CDP connectors (module {@code cdp-connectors}); see {@link #CREATE_DELIVERIES}. */
    public static final String DELIVERIES = "deliveries";
    /** What happened to journey runs (module {@code actor-engine}); see {@link #CREATE_JOURNEY_EVENTS}. */
    public static final String JOURNEY_EVENTS = "journey_events";
    /** Per-stage event counts of the data-quality collector (module {@code data-quality}); see {@link #CREATE_DQ_COUNTS}. */
    public static final String DQ_COUNTS = "dq_counts";
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

    /**
     * Exposures that posthog-js reports itself: {@code $feature_flag_called} with {@code $feature_flag} (the
     * flag key — for Beacon's {@code /flags}, the experiment key) and {@code $feature_flag_response} (the
     * variant — the variation key) into {@value #EXPERIMENT_EXPOSURES}, like GrowthBook SDKs' reported
     * {@code $experiment_exposure}. Boolean or empty responses ({@code false}: the user is not in the
     * experiment) are not exposures. Repeated calls collapse on the table's key; flags that are not
     * experiments give rows no analysis asks for.
     */
    static final String CREATE_EXPERIMENT_EXPOSURES_FLAG_MV = """
            CREATE MATERIALIZED VIEW IF NOT EXISTS experiment_exposures_flag_mv TO experiment_exposures AS
            SELECT project_id,
                   properties.value[indexOf(properties.key, '$feature_flag')] AS experiment_key,
                   distinct_id,
                   properties.value[indexOf(properties.key, '$feature_flag_response')] AS variation_key,
                   event_time AS exposure_time,
                   event_time_ms AS exposure_time_ms,
                   event_id,
                   toUInt64(toInt64(9999999999999) - toInt64(event_time_ms)) AS keep_earliest
            FROM events
            WHERE event_name = '$feature_flag_called'
              AND has(properties.key, '$feature_flag') AND has(properties.key, '$feature_flag_response')
              AND properties.value[indexOf(properties.key, '$feature_flag')] != ''
              AND properties.value[indexOf(properties.key, '$feature_flag_response')] NOT IN ('', 'true', 'false', 'null')""";

    /** {@code $feature_flag_called} exposures stored before the view existed. */
    static final String BACKFILL_EXPERIMENT_EXPOSURES_FLAG = """
            INSERT INTO experiment_exposures
            SELECT project_id,
                   properties.value[indexOf(properties.key, '$feature_flag')],
                   distinct_id,
                   properties.value[indexOf(properties.key, '$feature_flag_response')],
                   event_time, event_time_ms, event_id,
                   toUInt64(toInt64(9999999999999) - toInt64(event_time_ms))
            FROM events FINAL
            WHERE event_name = '$feature_flag_called'
              AND has(properties.key, '$feature_flag') AND has(properties.key, '$feature_flag_response')
              AND properties.value[indexOf(properties.key, '$feature_flag')] != ''
              AND properties.value[indexOf(properties.key, '$feature_flag_response')] NOT IN ('', 'true', 'false', 'null')""";

    /**
     * Sessions (module {@code streams-topology}, topic {@code beacon.sessions}): every publication of a
     * session is a row; {@code ReplacingMergeTree(version)} on {@code (project_id, session_id)} keeps the
     * latest, so read with {@code FINAL} (replays insert identical copies, which collapse too). A session
     * merged into another by a late event gets a row with {@code is_deleted = 1} and {@code merged_into}
     * (the survivor) at the survivor's version, which is above every earlier version of the merged one:
     * {@code FINAL … WHERE is_deleted = 0} never shows it, and events that still carry its id can be
     * re-pointed through {@code merged_into}. Not partitioned: a late event can move a session's start
     * into another month, and replacing only works within a partition.
     */
    static final String CREATE_SESSIONS = """
            CREATE TABLE IF NOT EXISTS sessions (
                project_id     String,
                session_id     String,
                person_id      String,
                device_key     String,
                client_defined UInt8,
                start_time     DateTime('UTC'),
                start_time_ms  UInt64,
                end_time       DateTime('UTC'),
                end_time_ms    UInt64,
                duration_ms    UInt64,
                event_count    UInt64,
                pageview_count UInt64,
                entry_url      String,
                exit_url       String,
                referrer       String,
                utm_source     String,
                utm_medium     String,
                utm_campaign   String,
                utm_term       String,
                utm_content    String,
                platform       String,
                merged_into    String,
                is_deleted     UInt8,
                version        UInt64,
                inserted_at    DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY (project_id, session_id)""";

    /**
     * Distinct id → person (topic {@code beacon.person-distinct-ids}): {@code ReplacingMergeTree(version)}
     * on {@code (project_id, distinct_id)}, latest link wins. Only links are stored (an anonymous id
     * linked to a user, a user id recorded as itself); an id without a row is its own person. Events keep
     * their ingest-time {@code person_id}; joining it here gives today's person (no history rewritten).
     */
    static final String CREATE_PERSON_DISTINCT_IDS = """
            CREATE TABLE IF NOT EXISTS person_distinct_ids (
                project_id  String,
                distinct_id String,
                person_id   String,
                event_id    String,
                version     UInt64,
                inserted_at DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY (project_id, distinct_id)""";

    /**
     * Person properties (topic {@code beacon.persons}), one row per (project, person, key):
     * {@code ReplacingMergeTree(version)} where the version encodes the rule ({@code io.beacon.event.PersonProperty}):
     * latest {@code $set} wins, a {@code $set_once} value only stands while no {@code $set} exists and the
     * earliest one wins. Order-independent, so replays and concurrent devices cannot break it. Read the
     * current properties of resolved persons from {@value #PERSONS_CURRENT}.
     */
    static final String CREATE_PERSONS = """
            CREATE TABLE IF NOT EXISTS persons (
                project_id    String,
                person_id     String,
                key           String,
                value         String,
                set_once      UInt8,
                event_time    DateTime('UTC'),
                event_time_ms UInt64,
                event_id      String,
                version       UInt64,
                inserted_at   DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY (project_id, person_id, key)""";

    /** The person column of every event; '' on rows stored before it existed (the views fall back to distinct_id). */
    static final String ADD_EVENTS_PERSON_ID = "ALTER TABLE events ADD COLUMN person_id String";

    /**
     * Today's person of the person id {@code personIdExpression} of the current row (its project in
     * {@code project_id}): the person it is linked to in {@value #PERSON_DISTINCT_IDS} (latest version),
     * else itself. Usable in any SELECT over a table with {@code project_id}; analytics reuses it.
     *
     * <p>18.16-compatible on purpose: a {@code JOIN} view cannot use {@code SELECT *} there (the right
     * side's columns are repeated and the view is refused), so the links are read once per query by
     * two scalar subqueries into sorted key/person arrays (a {@code ''} sentinel first, because
     * {@code transform} refuses empty arrays) and looked up with {@code transform}. That holds the links
     * in memory per query: fine up to a few million links; beyond, a dictionary (newer servers) is the
     * next step.
     */
    public static String resolvedPerson(String personIdExpression) {
        return "transform(concat(project_id, ':', " + personIdExpression + "), " + CURRENT_LINKS.formatted("k") + ", "
                + CURRENT_LINKS.formatted("p") + ", " + personIdExpression + ")";
    }

    /** Sorted array (sentinel first) of link keys ({@code %s} = k) or of their persons ({@code %s} = p). */
    private static final String CURRENT_LINKS = "(SELECT arrayConcat([''], groupArray(%s)) FROM (SELECT concat(project_id, ':', distinct_id) AS k,"
            + " argMax(person_id, version) AS p FROM person_distinct_ids GROUP BY project_id, distinct_id ORDER BY k))";

    /** The ingest-time person of an event; {@code distinct_id} for rows stored before {@code person_id} existed. */
    private static final String EVENT_PERSON = "if(person_id = '', distinct_id, person_id)";

    /**
     * "Events with resolved person": {@value #EVENTS} deduplicated ({@code FINAL}) plus
     * {@code resolved_person_id}, the person the event belongs to <em>today</em> ({@link #resolvedPerson}):
     * anonymous events stored before their device identified resolve to the user. Use it for
     * funnels/retention/uniques by person. Re-created with {@value #EVENTS_DEDUP} whenever a column is
     * added to {@value #EVENTS} (18.16 stores a view's columns).
     */
    static final String CREATE_EVENTS_WITH_PERSON = "CREATE VIEW IF NOT EXISTS events_with_person AS\n"
            + "SELECT *, " + resolvedPerson(EVENT_PERSON) + " AS resolved_person_id\nFROM events FINAL";

    /** "Sessions with resolved person": live sessions ({@code FINAL}, not merged away) plus {@code resolved_person_id}. */
    static final String CREATE_SESSIONS_WITH_PERSON = "CREATE VIEW IF NOT EXISTS sessions_with_person AS\n"
            + "SELECT *, " + resolvedPerson("person_id") + " AS resolved_person_id\nFROM sessions FINAL\nWHERE is_deleted = 0";

    /** "Sessions per person": per project and resolved person, sessions, events, page views and time. */
    static final String CREATE_SESSIONS_PER_PERSON = """
            CREATE VIEW IF NOT EXISTS sessions_per_person AS
            SELECT project_id, resolved_person_id,
                   count() AS sessions,
                   sum(event_count) AS events,
                   sum(pageview_count) AS pageviews,
                   sum(duration_ms) AS total_duration_ms,
                   min(start_time) AS first_session_start,
                   max(end_time) AS last_session_end
            FROM sessions_with_person
            GROUP BY project_id, resolved_person_id""";

    /** Current properties per resolved person and key: the highest version over every person merged into it. */
    static final String CREATE_PERSONS_CURRENT = "CREATE VIEW IF NOT EXISTS persons_current AS\n"
            + "SELECT project_id, resolved_person_id, key, argMax(v, ver) AS value, max(ver) AS version\n"
            + "FROM (SELECT project_id, key, value AS v, version AS ver, " + resolvedPerson("person_id") + " AS resolved_person_id"
            + " FROM persons)\nGROUP BY project_id, resolved_person_id, key";

    /**
     * Static cohort members (module {@code analytics}): every materialization or CSV import of a cohort
     * writes all its members under a new {@code version}, then one <em>commit row</em> with
     * {@code person_id = ''} at that version. Readers take the highest committed version
     * ({@code max(version) WHERE person_id = ''}) and its member rows, so a re-materialization replaces
     * the members as a whole and an import that failed half-way (an {@code INSERT … SELECT} may write
     * several blocks) stays invisible. The version is part of the sorting key, so merges never let a row
     * of an uncommitted version replace a committed one; the {@code ReplacingMergeTree} only collapses
     * re-sent copies of the same (version, person). Older versions are removed by an
     * {@code ALTER … DELETE} mutation after a commit. Not partitioned (tiny next to events).
     */
    static final String CREATE_COHORT_MEMBERS = """
            CREATE TABLE IF NOT EXISTS cohort_members (
                project_id  String,
                cohort_id   String,
                version     UInt64,
                person_id   String,
                inserted_at DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree()
            ORDER BY (project_id, cohort_id, version, person_id)""";

    /**
     * The analytics query log (module {@code analytics}), written asynchronously in batches: one row per
     * statement an API request ran ({@code request_id} groups them; {@code statement} numbers them from
     * 1) and one row with {@code statement = 0} per cache hit or per request refused before any
     * statement. {@code key_id} identifies the secret key without storing it. {@code rows_read} and
     * {@code bytes_read} are the server's own statistics. Monthly partitions so old months can be dropped.
     */
    static final String CREATE_QUERY_LOG = """
            CREATE TABLE IF NOT EXISTS query_log (
                project_id    String,
                key_id        String,
                request_id    String,
                statement     UInt16,
                analysis      String,
                query         String,
                sql           String,
                started_at    DateTime('UTC'),
                started_at_ms UInt64,
                duration_ms   UInt64,
                rows_read     UInt64,
                bytes_read    UInt64,
                result_rows   UInt64,
                status        String,
                error_code    String,
                cache_hit     UInt8
            ) ENGINE = MergeTree()
            PARTITION BY toYYYYMM(started_at)
            ORDER BY (project_id, started_at_ms, request_id, statement)""";

    /**
     * Realtime segment changes (topic {@code beacon.segment.changes}, written by the actor engine, copied by
     * {@code io.beacon.warehouse.sink.SegmentChangeSink}): one row per entry ({@code change = 1}) or exit
     * ({@code change = -1}) of a person in a segment. {@code ReplacingMergeTree} keyed by
     * {@code (project_id, segment_id, person_id, at_ms, change)}: every part comes from the change itself, so
     * a sink replay inserts identical copies that merges collapse; read with {@code FINAL} (e.g. size at
     * time T = {@code sum(change) … FINAL WHERE at_ms <= T}). Partitioned by month of {@code at}: a copy
     * always lands in the partition of its original.
     */
    static final String CREATE_SEGMENT_CHANGES = """
            CREATE TABLE IF NOT EXISTS segment_changes (
                project_id      String,
                segment_id      String,
                person_id       String,
                change          Int8,
                at              DateTime('UTC'),
                at_ms           UInt64,
                cause           String,
                segment_version UInt64,
                event_id        String,
                inserted_at     DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree()
            PARTITION BY toYYYYMM(at)
            ORDER BY (project_id, segment_id, person_id, at_ms, change)""";

    /**
     * The connectors' delivery log (topic {@code beacon.cdp.deliveries}, written by the outbox workers, copied by
     * {@code io.beacon.warehouse.sink.DeliverySink}, read by {@code io.beacon.cdp.log.DeliveryLog}): one row per
     * attempt to deliver a message to a destination. {@code ReplacingMergeTree} keyed by
     * {@code (project_id, destination_id, message_id, attempt)}: an attempt is identified by its message and number,
     * so a sink replay's copy merges away (read with {@code FINAL}); the key's prefix serves what is asked — one
     * project's destination (stats, recent attempts) and one message's attempts. Partitioned by month of {@code at}
     * (the attempt's own time, so a copy lands in its original's partition and windows prune months).
     * {@code status} is 0 without a response; {@code outcome} one of {@code delivered}, {@code retry},
     * {@code throttled}, {@code dead_lettered}; strings are {@code ''} when absent; {@code response_body} is
     * truncated by the producer (1,024 characters).
     */
    static final String CREATE_DELIVERIES = """
            CREATE TABLE IF NOT EXISTS deliveries (
                project_id     String,
                destination_id String,
                message_id     String,
                attempt        UInt32,
                person_id      String,
                type           String,
                at             DateTime('UTC'),
                at_ms          UInt64,
                status         UInt16,
                outcome        String,
                latency_ms     UInt64,
                error          String,
                response_body  String,
                inserted_at    DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree()
            PARTITION BY toYYYYMM(at)
            ORDER BY (project_id, destination_id, message_id, attempt)""";

    /**
     * Journey runs' events (topic {@code beacon.journey.events}, written by the actor engine in the user's
     * transaction, copied by {@code io.beacon.warehouse.sink.JourneyEventSink}): one row per {@code JourneyEvent}
     * (entered, step_entered, sent, capped, suppressed, converted, exited, completed, moved, error), the source of the
     * journey statistics. {@code ReplacingMergeTree} keyed by {@code (project_id, journey_id, journey_version,
     * person_id, entry, seq)}: a run's event is identified by its number within the run, so a sink replay's copy
     * merges away (read with {@code FINAL}); the prefix serves what is asked (one journey's version, one
     * person's runs). Strings are {@code ''} when absent.
     */
    static final String CREATE_JOURNEY_EVENTS = """
            CREATE TABLE IF NOT EXISTS journey_events (
                project_id      String,
                journey_id      String,
                journey_version UInt32,
                person_id       String,
                entry           UInt64,
                seq             UInt64,
                kind            String,
                step_id         String,
                reason          String,
                channel         String,
                message_key     String,
                at              DateTime('UTC'),
                at_ms           UInt64,
                event_id        String,
                inserted_at     DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree()
            PARTITION BY toYYYYMM(at)
            ORDER BY (project_id, journey_id, journey_version, person_id, entry, seq)""";

    /**
     * The data-quality collector's counts (module {@code data-quality}): per project, stage ({@code accepted},
     * {@code gateway_rejected}, {@code dead_lettered}, {@code duplicate}, {@code written}), code, event name and minute
     * of the event's {@code received_at}, how many events one chunk of one source topic partition held. Each insert is
     * one chunk batch: its rows carry the source partition's offset range, and the collector resumes from
     * {@code max(next_offset)} per partition, so a chunk is in the table exactly once (an insert is atomic: the table
     * has one partition, no {@code PARTITION BY}). A chunk's bookkeeping row has stage {@code ''} and count 0. Plain
     * {@code MergeTree}: sums need no {@code FINAL}.
     */
    static final String CREATE_DQ_COUNTS = """
            CREATE TABLE IF NOT EXISTS dq_counts (
                project_id       String,
                stage            String,
                code             String,
                event_name       String,
                minute           DateTime('UTC'),
                count            UInt64,
                source           String,
                source_partition UInt32,
                first_offset     UInt64,
                next_offset      UInt64,
                inserted_at      DateTime('UTC') DEFAULT now()
            ) ENGINE = MergeTree()
            ORDER BY (project_id, minute, stage, event_name, code)""";

    private static final Pattern PROMOTED_COLUMN = Pattern.compile(PROMOTED_COLUMN_PREFIX + "[a-z0-9_]+");
    private static final Set<String> PROMOTED_COLUMN_TYPES = Set.of("Nullable(String)", "Nullable(Float64)",
            "Nullable(UInt8)", "Nullable(DateTime('UTC'))", "Array(String)");

    private static final List<Migration> MIGRATIONS = List.of(
            Migration.of(1, "create events", CREATE_EVENTS),
            Migration.of(2, "create events_dedup view", CREATE_EVENTS_DEDUP),
            Migration.of(3, "create promoted_columns", CREATE_PROMOTED_COLUMNS),
            Migration.of(4, "create experiment_exposures", CREATE_EXPERIMENT_EXPOSURES,
                    CREATE_EXPERIMENT_EXPOSURES_MV, BACKFILL_EXPERIMENT_EXPOSURES),
            Migration.of(5, "sessions and identity: sessions, persons, person_distinct_ids, events.person_id, helper views",
                    CREATE_SESSIONS, CREATE_PERSON_DISTINCT_IDS, CREATE_PERSONS, ADD_EVENTS_PERSON_ID,
                    "DROP TABLE IF EXISTS " + EVENTS_DEDUP, CREATE_EVENTS_DEDUP,
                    CREATE_EVENTS_WITH_PERSON, CREATE_SESSIONS_WITH_PERSON, CREATE_SESSIONS_PER_PERSON, CREATE_PERSONS_CURRENT),
            Migration.of(6, "create cohort_members (static cohorts)", CREATE_COHORT_MEMBERS),
            Migration.of(7, "create query_log (analytics)", CREATE_QUERY_LOG),
            Migration.of(8, "create segment_changes (actor engine)", CREATE_SEGMENT_CHANGES),
            Migration.of(9, "experiment exposures reported by posthog-js ($feature_flag_called)",
                    CREATE_EXPERIMENT_EXPOSURES_FLAG_MV, BACKFILL_EXPERIMENT_EXPOSURES_FLAG),
            Migration.of(10, "create deliveries (cdp connectors' delivery log)", CREATE_DELIVERIES),
            Migration.of(11, "create journey_events (actor engine's journey runs)", CREATE_JOURNEY_EVENTS),
            Migration.of(12, "create dq_counts (data-quality stage counts)", CREATE_DQ_COUNTS));

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
                CREATE_EVENTS_DEDUP,
                "DROP TABLE IF EXISTS " + EVENTS_WITH_PERSON,
                CREATE_EVENTS_WITH_PERSON);
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
