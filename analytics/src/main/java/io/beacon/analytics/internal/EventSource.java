package io.beacon.analytics.internal;

import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.FilterSql;
import io.beacon.analytics.query.PropertyRef;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.util.List;

/**
 * The innermost SELECT of every analysis: the project's events in a range, deduplicated ({@code events FINAL})
 * unless the caller's aggregate cannot be changed by a re-sent copy, with the resolved person when needed.
 * Pure.
 *
 * <p><b>Persons.</b> The person of an event today is its ingest-time person (or distinct id for old rows)
 * looked up in {@code person_distinct_ids} (latest version), else itself — the same rule as
 * {@link MigrationCatalog#resolvedPerson}. Analyses compute it with one {@code ANY LEFT JOIN} against the
 * project's current links (a hash table built once per statement) instead of {@code transform} over two
 * scalar arrays: on 18.16 the join costs about a third of the CPU per row (measured by the load-tests
 * analytics bench). Conditions that name the person are applied after the join; the others are pushed
 * into the scan so the join only sees rows that can count.
 *
 * <p>Both sides of every join carry an alias: ClickHouse 20.x and later refuse a joined subquery without one
 * ({@code Code: 206 ALIAS_REQUIRED}); 18.16 accepts the aliases and answers the same.
 */
public final class EventSource {
    /** The event's person today: its ingest-time person (or distinct id for old rows) looked up in the links. */
    public static final String PERSON = MigrationCatalog.resolvedPerson("if(person_id = '', distinct_id, person_id)");

    private EventSource() {
    }

    /**
     * {@code SELECT <columns>[, person] FROM events FINAL WHERE project, range, condition, filters}.
     *
     * @param columns    select-list expressions (already safe SQL); may name {@code person}
     * @param withPerson add {@code person}
     * @param condition  an extra condition (already safe SQL), {@code 1} for none; may name {@code person}
     */
    public static String select(String projectId, DateRange range, String columns, boolean withPerson, String condition,
                                List<Filter> filters) {
        return select(projectId, range, columns, withPerson, condition, filters, true);
    }

    /**
     * As {@link #select(String, DateRange, String, boolean, String, List)}; with {@code deduplicate = false} the
     * rows are read without {@code FINAL}, so a re-sent copy of an event (same {@code event_id}) may appear
     * twice. Only for callers whose result a copy cannot change: sets of persons or periods, minimums and
     * maximums (retention, for example). Copies are identical apart from {@code inserted_at}.
     */
    public static String select(String projectId, DateRange range, String columns, boolean withPerson, String condition,
                                List<Filter> filters, boolean deduplicate) {
        boolean person = withPerson || FilterSql.needsPerson(filters);
        String scan = "events" + (deduplicate ? " FINAL" : "") + "\n  WHERE project_id = " + SqlLiterals.string(projectId)
                + " AND " + range.sql("event_time");
        if (!person) {
            return "SELECT " + columns + "\n  FROM " + scan
                    + "\n    AND (" + condition + ")"
                    + "\n    AND " + FilterSql.conditions(filters, "person", projectId);
        }
        List<Filter> eventFilters = filters.stream().filter(f -> !needsPerson(f)).toList();
        List<Filter> personFilters = filters.stream().filter(EventSource::needsPerson).toList();
        // A condition without the word "person" anywhere (not even inside a literal) cannot use the column:
        // it is evaluated in the scan. Otherwise it waits for the join (correct, only slower).
        boolean pushDown = !condition.contains("person");
        return "SELECT " + columns + ", person\n  FROM (\n   SELECT *, if(link_person = '', link_key, link_person) AS person\n   FROM (\n"
                + "    SELECT *, if(person_id = '', distinct_id, person_id) AS link_key\n    FROM " + scan
                + (pushDown ? "\n      AND (" + condition + ")" : "")
                + "\n      AND " + FilterSql.conditions(eventFilters, "person", projectId)
                + "\n   ) AS scanned ANY LEFT JOIN (" + links(projectId) + ") AS links USING link_key\n  )"
                + "\n  WHERE (" + (pushDown ? "1" : condition) + ") AND " + FilterSql.conditions(personFilters, "person", projectId);
    }

    /**
     * {@code SELECT <columns>, <current value of person property key> AS <alias> FROM (<rows>)}: {@code rows} must have
     * the resolved person in a column {@code person} (a {@link #select} with {@code withPerson}). The value is the
     * person's current one ({@code persons_current}: the highest version over every person id merged into the
     * resolved person), {@code ''} when the person has no such property, through one {@code ANY LEFT JOIN}
     * (one row per person and key in the view, so {@code ANY} is exact; 18.16 fills a missing String with {@code ''}).
     *
     * @param columns the columns of {@code rows} to keep (already safe SQL, without the alias)
     * @param key     a validated person property key (written as an escaped literal)
     * @param alias   the output column (must not be a column of {@code rows})
     */
    public static String withPersonProperty(String rows, String columns, String projectId, String key, String alias) {
        return "SELECT " + columns + ", person_prop AS " + alias + "\nFROM (\n" + rows + "\n) AS person_rows ANY LEFT JOIN (SELECT resolved_person_id AS person, value AS person_prop"
                + " FROM " + MigrationCatalog.PERSONS_CURRENT + " WHERE project_id = " + SqlLiterals.string(projectId) + " AND key = "
                + SqlLiterals.string(key) + ") AS props USING person";
    }

    /** The project's current links: distinct id → person of the highest version. */
    static String links(String projectId) {
        return "SELECT distinct_id AS link_key, argMax(person_id, version) AS link_person FROM " + MigrationCatalog.PERSON_DISTINCT_IDS
                + " WHERE project_id = " + SqlLiterals.string(projectId) + " GROUP BY distinct_id";
    }

    private static boolean needsPerson(Filter f) {
        return f.property().kind() == PropertyRef.Kind.PERSON_PROPERTY || f.property().kind() == PropertyRef.Kind.COHORT;
    }
}
