package io.beacon.warehouse.schema;

import java.util.List;
import java.util.Objects;

/**
 * One step of the ClickHouse schema: a version, a short name and the statements that take the schema
 * from the previous version to this one. Statements use unqualified table names (they run in the
 * configured database) and must be idempotent ({@code IF NOT EXISTS}), because a process that dies
 * between running them and recording the version runs them again.
 *
 * @param version    strictly increasing, starting at 1; never reused or renumbered
 * @param name       what the step does, recorded in {@code schema_migrations}
 * @param statements DDL statements, run in order
 */
public record Migration(int version, String name, List<String> statements) {

    public Migration {
        Objects.requireNonNull(name, "name");
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1: " + version);
        }
        if (statements == null || statements.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " has no statements");
        }
        statements = List.copyOf(statements);
    }

    public static Migration of(int version, String name, String... statements) {
        return new Migration(version, name, List.of(statements));
    }
}
