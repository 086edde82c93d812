package io.beacon.analytics.guardrails;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.Warehouse;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code query_log} rows asynchronously: {@link #log} only offers the row to a bounded queue (never
 * blocks, never throws — a full queue drops the row and counts it); a daemon thread inserts what is queued in
 * batches of up to {@value #BATCH} rows at least every {@value #FLUSH_MILLIS} ms. A failed insert is logged and
 * counted, and its rows are dropped: the query log must not slow down or fail analyses.
 */
public final class QueryLog implements AutoCloseable {
    /** One row of {@code query_log} (see {@code MigrationCatalog.CREATE_QUERY_LOG}). */
    public record Row(String projectId, String keyId, String requestId, int statement, String analysis, String query, String sql,
                      long startedAtMs, long durationMs, long rowsRead, long bytesRead, long resultRows, String status,
                      String errorCode, boolean cacheHit) {
    }

    static final int BATCH = 1_000;
    static final long FLUSH_MILLIS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(QueryLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_TEXT = 64 * 1024;

    private final Warehouse warehouse;
    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(20_000);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;

    public QueryLog(Warehouse warehouse) {
        this.warehouse = warehouse;
        this.writer = new Thread(this::loop, "beacon-analytics-query-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code row}; never blocks. */
    public void log(Row row) {
        if (!queue.offer(row)) {
            dropped.incrementAndGet();
        }
    }

    /** Rows dropped because the queue was full or an insert failed. */
    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    private void loop() {
        List<Row> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Row first = queue.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                running = false;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Row> batch) {
        List<String> rows = new ArrayList<>(batch.size());
        for (Row r : batch) {
            rows.add(json(r));
        }
        try {
            warehouse.insert(MigrationCatalog.QUERY_LOG, rows);
            written.addAndGet(rows.size());
        } catch (RuntimeException e) {
            dropped.addAndGet(rows.size());
            LOG.warn("could not write {} query_log rows: {}", rows.size(), e.getMessage());
        }
    }

    static String json(Row r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("project_id", r.projectId());
        o.put("key_id", r.keyId());
        o.put("request_id", r.requestId());
        o.put("statement", r.statement());
        o.put("analysis", r.analysis());
        o.put("query", cut(r.query()));
        o.put("sql", cut(r.sql()));
        o.put("started_at", UTC.format(Instant.ofEpochMilli(r.startedAtMs())));
        o.put("started_at_ms", r.startedAtMs());
        o.put("duration_ms", r.durationMs());
        o.put("rows_read", r.rowsRead());
        o.put("bytes_read", r.bytesRead());
        o.put("result_rows", r.resultRows());
        o.put("status", r.status());
        o.put("error_code", r.errorCode());
        o.put("cache_hit", r.cacheHit() ? 1 : 0);
        return o.toString();
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }

    /** Stops after writing what is queued (bounded wait). */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
