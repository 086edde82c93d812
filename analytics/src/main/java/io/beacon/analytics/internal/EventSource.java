package io.beacon.analytics.internal;

import io.beacon.analytics.query.DateRange;
import io.beacon.analytics.query.FilterSql;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.SqlLiterals;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.util.List;

/**
 * The innermost SELECT of every analysis: the project's deduplicated events ({@code events FINAL}) in a
 * range, with the resolved person when needed. Pure.
 */
public final class EventSource {
    /** The event's person today: its ingest-time person (or distinct id for old rows) looked up in the links. */
    public static final String PERSON = MigrationCatalog.resolvedPerson("if(person_id = '', distinct_id, person_id)");

    private EventSource() {
    }

    /**
     * {@code SELECT <columns>[, <person> AS person] FROM events FINAL WHERE project, range, condition, filters}.
     *
     * @param columns    select-list expressions (already safe SQL)
     * @param withPerson add {@code person}
     * @param condition  an extra condition (already safe SQL), {@code 1} for none
     */
    public static String select(String projectId, DateRange range, String columns, boolean withPerson, String condition,
                                List<Filter> filters) {
        boolean person = withPerson || FilterSql.needsPerson(filters);
        return "SELECT " + columns + (person ? ", " + PERSON + " AS person" : "")
                + "\n  FROM events FINAL\n  WHERE project_id = " + SqlLiterals.string(projectId)
                + " AND " + range.sql("event_time")
                + "\n    AND (" + condition + ")"
                + "\n    AND " + FilterSql.conditions(filters, "person", projectId);
    }
}
