package io.beacon.analytics.guardrails;

import io.beacon.warehouse.schema.MigrationCatalog;
import java.util.List;

/**
 * The data watermark of the result cache: a hash of the names of the active parts of every table analyses read
 * ({@code events}, {@code sessions}, {@code persons}, {@code person_distinct_ids}, {@code cohort_members}) in
 * {@code system.parts}. Every INSERT creates a part with a new block number, and every mutation or merge
 * renames parts, so any write that can change a result changes the watermark (a merge alone changes it too:
 * a harmless miss). It is database-wide, not per project — a write for one project invalidates the others'
 * results — but it is exact and costs one read of in-memory metadata (about a millisecond), where a
 * per-project {@code max(inserted_at)} would scan the project's events and has one-second resolution.
 */
public final class Watermark {
    static final List<String> TABLES = List.of(MigrationCatalog.EVENTS, MigrationCatalog.SESSIONS, MigrationCatalog.PERSONS,
            MigrationCatalog.PERSON_DISTINCT_IDS, MigrationCatalog.COHORT_MEMBERS);

    private Watermark() {
    }

    /** One row, one column {@code w}: the watermark of the current database. */
    public static String sql() {
        return "SELECT toString(cityHash64(arrayStringConcat(arraySort(groupArray(concat(table, '/', name))), ','))) AS w\n"
                + "FROM system.parts\nWHERE database = currentDatabase() AND active AND table IN ('"
                + String.join("', '", TABLES) + "')";
    }
}
