package io.beacon.analytics.journeys;

import static io.beacon.analytics.query.SqlLiterals.string;

import io.beacon.warehouse.schema.MigrationCatalog;
import java.util.OptionalInt;

/**
 * The journey report's SQL over {@code journey_events}, pure. Every value from a caller reaches the text as a
 * literal of {@link io.beacon.analytics.query.SqlLiterals} or a Java number; the statements run unchanged on
 * ClickHouse 18.16 and 26.x. A run is {@code (person_id, entry)} within one journey version; its current step is the
 * step of its last {@code step_entered} by {@code seq}, and it is over once it has an {@code exited},
 * {@code completed}, {@code error} or {@code moved} event.
 */
final class JourneySql {
    static final String ENDING_KINDS = "('exited', 'completed', 'error', 'moved')";

    private JourneySql() {
    }

    private static String where(String project, String journey, OptionalInt version) {
        return "project_id = " + string(project) + " AND journey_id = " + string(journey)
                + (version.isPresent() ? " AND journey_version = " + version.getAsInt() : "");
    }

    /** Per kind and reason: events and distinct runs. */
    static String kinds(String project, String journey, OptionalInt version) {
        return "SELECT kind, reason, count() AS events, uniqExact(concat(person_id, '/', toString(journey_version), '/', toString(entry))) AS runs\n"
                + "FROM " + MigrationCatalog.JOURNEY_EVENTS + " FINAL\n"
                + "WHERE " + where(project, journey, version) + "\n"
                + "GROUP BY kind, reason\nORDER BY kind, reason";
    }

    /** Per step: runs that reached it, and its sends, cap hits and quiet-hour suppressions. */
    static String steps(String project, String journey, OptionalInt version) {
        return "SELECT step_id,\n"
                + "       uniqExactIf(concat(person_id, '/', toString(journey_version), '/', toString(entry)), kind = 'step_entered') AS reached,\n"
                + "       countIf(kind = 'sent') AS sent, countIf(kind = 'capped') AS capped, countIf(kind = 'suppressed') AS suppressed\n"
                + "FROM " + MigrationCatalog.JOURNEY_EVENTS + " FINAL\n"
                + "WHERE " + where(project, journey, version) + " AND step_id != ''\n"
                + "GROUP BY step_id\nORDER BY step_id";
    }

    /** Runs in flight per current step (including those waiting in a delay or a wait). */
    static String atStep(String project, String journey, OptionalInt version) {
        return "SELECT step, count() AS runs\n"
                + "FROM (SELECT person_id, journey_version, entry, argMax(step_id, seq) AS step, max(kind IN " + ENDING_KINDS + ") AS ended\n"
                + "      FROM " + MigrationCatalog.JOURNEY_EVENTS + " FINAL\n"
                + "      WHERE " + where(project, journey, version) + " AND kind IN ('step_entered', " + ENDING_KINDS.substring(1) + "\n"
                + "      GROUP BY person_id, journey_version, entry) AS runs\n"
                + "WHERE ended = 0\nGROUP BY step\nORDER BY step";
    }

    /** One person's runs of every journey, newest first. */
    static String personRuns(String project, String person, int limit) {
        return "SELECT journey_id, journey_version, entry, min(at_ms) AS entered_at_ms, max(at_ms) AS last_at_ms,\n"
                + "       argMax(step_id, seq) AS step, argMax(kind, seq) AS last_kind, argMax(reason, seq) AS last_reason,\n"
                + "       max(kind = 'converted') AS converted\n"
                + "FROM " + MigrationCatalog.JOURNEY_EVENTS + " FINAL\n"
                + "WHERE project_id = " + string(project) + " AND person_id = " + string(person) + "\n"
                + "GROUP BY journey_id, journey_version, entry\n"
                + "ORDER BY entered_at_ms DESC, journey_id, entry DESC\nLIMIT " + limit;
    }
}
