package io.beacon.analytics.sql;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.guardrails.StatementRecorder;
import io.beacon.event.RefusedException;
import io.beacon.event.RefusedException.Kind;
import io.beacon.warehouse.clickhouse.MeasuredResult;
import io.beacon.warehouse.clickhouse.QueryResult;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs console SQL for a project: {@link SqlGuard#pin} checks and pins it, then it runs as
 * {@code SELECT * FROM (<pinned>) LIMIT max-rows + 1} with {@code max_execution_time}, {@code max_memory_usage},
 * {@code max_result_rows} ({@code result_overflow_mode = throw}) and finally {@code readonly = 1} (server-side
 * refusal of writes, setting changes and table functions). Answer: columns, rows (text, {@code null} for NULL),
 * {@code truncated}, the server's rows/bytes read, milliseconds and the SQL that ran.
 */
public final class SqlConsole {
    /** ClickHouse codes that mean "this statement is wrong" (syntax, names, types, readonly…): 400 for the caller. */
    private static final Set<Integer> LIMIT_CODES = Set.of(159, 158, 241, 396, 307);

    private final Warehouse warehouse;
    private final AnalyticsSettings settings;

    public SqlConsole(Warehouse warehouse, AnalyticsSettings settings) {
        this.warehouse = warehouse;
        this.settings = settings;
    }

    /** The server settings of a console statement, {@code readonly} last. */
    public Map<String, String> limits() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("max_execution_time", Long.toString(Math.max(1, settings.sqlTimeout().toSeconds())));
        s.put("max_memory_usage", Long.toString(settings.sqlMaxMemory()));
        s.put("max_result_rows", Long.toString(settings.sqlMaxRows() + 1L));
        s.put("result_overflow_mode", "throw");
        s.put("readonly", "1");
        return s;
    }

    public ObjectNode run(String projectId, String sql) {
        String pinned = SqlGuard.pin(sql, projectId);
        String statement = "SELECT * FROM (\n" + pinned + "\n)\nLIMIT " + (settings.sqlMaxRows() + 1L);
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        MeasuredResult m;
        try {
            m = warehouse.query(statement, limits());
        } catch (WarehouseException e) {
            record(statement, start, t0, null, e);
            if (e.fromServer() && !LIMIT_CODES.contains(e.serverCode())) {
                throw new RefusedException(Kind.INVALID, e.serverCode() == 164 ? "SQL_NOT_ALLOWED" : "SQL_ERROR",
                        "ClickHouse refused the SQL (code " + e.serverCode() + "): " + serverText(e.getMessage()), "sql");
            }
            throw e;
        }
        record(statement, start, t0, m, null);
        QueryResult r = m.result();
        boolean truncated = r.size() > settings.sqlMaxRows();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode cols = out.putArray("columns");
        r.columns().forEach(cols::add);
        ArrayNode rows = out.putArray("rows");
        List<List<String>> list = truncated ? r.rows().subList(0, settings.sqlMaxRows()) : r.rows();
        for (List<String> row : list) {
            ArrayNode a = rows.addArray();
            row.forEach(a::add);
        }
        out.put("row_count", list.size());
        out.put("truncated", truncated);
        out.put("rows_read", m.rowsRead());
        out.put("bytes_read", m.bytesRead());
        out.put("millis", (System.nanoTime() - t0) / 1_000_000);
        out.put("sql", statement);
        return out;
    }

    private static void record(String sql, long start, long t0, MeasuredResult m, WarehouseException e) {
        StatementRecorder rec = StatementRecorder.current();
        if (rec != null) {
            rec.add(new StatementRecorder.Statement(sql, start, (System.nanoTime() - t0) / 1_000_000, m == null ? 0 : m.rowsRead(),
                    m == null ? 0 : m.bytesRead(), m == null ? 0 : m.result().size(), e));
        }
    }

    /** The server's own text (after "refused <statement>: "), without our statement preview. */
    private static String serverText(String message) {
        int i = message.indexOf("DB::Exception:");
        String s = i >= 0 ? message.substring(i + "DB::Exception:".length()).strip() : message;
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
