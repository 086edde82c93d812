package io.beacon.analytics.guardrails;

import io.beacon.warehouse.clickhouse.WarehouseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements one API request ran, with what the server reported, for the query log. One per request,
 * bound to the thread that runs it ({@link #start}/{@link #stop}); the module's SQL runner adds to the
 * current one ({@link #current()}), so analyses need no extra parameter.
 */
public final class StatementRecorder {
    /** One statement: SQL, start (epoch ms), duration, server statistics, result rows, error (null when ok). */
    public record Statement(String sql, long startedAtMs, long durationMs, long rowsRead, long bytesRead, long resultRows,
                            WarehouseException error) {
    }

    private static final ThreadLocal<StatementRecorder> CURRENT = new ThreadLocal<>();
    private final List<Statement> statements = new ArrayList<>();

    public static StatementRecorder start() {
        StatementRecorder r = new StatementRecorder();
        CURRENT.set(r);
        return r;
    }

    public static void stop() {
        CURRENT.remove();
    }

    /** The recorder of the request this thread runs, or null. */
    public static StatementRecorder current() {
        return CURRENT.get();
    }

    public void add(Statement s) {
        statements.add(s);
    }

    public List<Statement> statements() {
        return List.copyOf(statements);
    }
}
