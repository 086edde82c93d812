package io.beacon.dq.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.dq.DqAlert;
import io.beacon.dq.StageCount;
import io.beacon.dq.Stages;
import io.beacon.dq.count.Chunk;
import io.beacon.dq.count.CountKey;
import io.beacon.dq.loss.HourTotals;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.QueryResult;
import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data-quality tables in ClickHouse: {@code dq_counts} (written by the collector, one insert per batch of
 * chunks) and the reads of the counts, the loss totals and the reconciliation ({@code events} for what is stored).
 * Every statement runs on ClickHouse 18.16 and 26.x ({@code DqStoreTest} on both).
 */
public final class DqStore {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** The module's own alert events are not part of the figures. */
    private static final String NOT_ALERTS = " AND event_name != " + literal(DqAlert.EVENT_NAME);
    private final ClickHouse clickhouse;

    public DqStore(ClickHouse clickhouse) {
        this.clickhouse = clickhouse;
    }

    /** Inserts the chunks' counts in one insert (atomic: all or none), with a bookkeeping row per chunk. */
    public void insert(List<Chunk> chunks, long nowMs) {
        List<String> rows = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.isEmpty()) {
                continue;
            }
            rows.add(row(c, new CountKey("", "", "", "", CountKey.minuteOf(nowMs)), 0));
            c.counts().forEach((k, n) -> rows.add(row(c, k, n)));
        }
        if (!rows.isEmpty()) {
            clickhouse.insertJsonEachRow(MigrationCatalog.DQ_COUNTS, rows);
        }
    }

    private static String row(Chunk c, CountKey k, long count) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("project_id", k.projectId());
        o.put("stage", k.stage());
        o.put("code", k.code());
        o.put("event_name", k.eventName());
        o.put("minute", SECONDS.format(Instant.ofEpochMilli(k.minuteMs())));
        o.put("count", count);
        o.put("source", c.source());
        o.put("source_partition", c.partition());
        o.put("first_offset", c.firstOffset());
        o.put("next_offset", c.nextOffset());
        return o.toString();
    }

    /** Where the collector resumes each partition of {@code source}: the end of its last inserted chunk. */
    public Map<Integer, Long> nextOffsets(String source) {
        Map<Integer, Long> out = new HashMap<>();
        QueryResult r = clickhouse.query("SELECT source_partition, max(next_offset) AS next FROM " + MigrationCatalog.DQ_COUNTS
                + " WHERE source = " + literal(source) + " GROUP BY source_partition");
        for (Map<String, String> m : r.asMaps()) {
            out.put(Integer.parseInt(m.get("source_partition")), Long.parseLong(m.get("next")));
        }
        return out;
    }

    /**
     * The project's counts per stage, code and event name in buckets of {@code bucketMs} (whole minutes, aligned to
     * the epoch) of {@code [fromMs, toMs)}, with {@code stored} from {@code events} (distinct ids; no code).
     */
    public List<StageCount> counts(String project, long fromMs, long toMs, long bucketMs) {
        long seconds = bucketMs / 1000;
        String bucket = "intDiv(toUnixTimestamp(minute), " + seconds + ") * " + seconds;
        List<StageCount> out = new ArrayList<>();
        QueryResult r = clickhouse.query("SELECT toUnixTimestamp(" + bucket + ") AS b, stage, code, event_name, sum(count) AS n FROM "
                + MigrationCatalog.DQ_COUNTS + " WHERE project_id = " + literal(project) + " AND stage != '' AND minute >= "
                + time(fromMs) + " AND minute < " + time(toMs) + " GROUP BY b, stage, code, event_name ORDER BY b, stage, code, event_name");
        for (Map<String, String> m : r.asMaps()) {
            out.add(new StageCount(project, m.get("stage"), m.get("code"), m.get("event_name"), Long.parseLong(m.get("b")) * 1000,
                    Long.parseLong(m.get("n"))));
        }
        String storedBucket = "intDiv(toUnixTimestamp(received_at), " + seconds + ") * " + seconds;
        QueryResult s = clickhouse.query("SELECT toUnixTimestamp(" + storedBucket + ") AS b, event_name, uniqExact(event_id) AS n FROM "
                + MigrationCatalog.EVENTS + " WHERE project_id = " + literal(project) + NOT_ALERTS + " AND received_at >= " + time(fromMs)
                + " AND received_at < " + time(toMs) + " GROUP BY b, event_name ORDER BY b, event_name");
        for (Map<String, String> m : s.asMaps()) {
            out.add(new StageCount(project, Stages.STORED, "", m.get("event_name"), Long.parseLong(m.get("b")) * 1000,
                    Long.parseLong(m.get("n"))));
        }
        return out;
    }

    /** The project's totals per window of {@code windowMs} in {@code [fromMs, toMs)} (empty windows are left out). */
    public List<HourTotals> windowTotals(String project, long fromMs, long toMs, long windowMs) {
        Map<Long, long[]> byHour = new TreeMap<>();
        for (StageCount c : counts(project, fromMs, toMs, windowMs)) {
            long[] t = byHour.computeIfAbsent(c.bucketMs(), k -> new long[Stages.ALL.size()]);
            t[Stages.ALL.indexOf(c.stage())] += c.count();
        }
        List<HourTotals> out = new ArrayList<>(byHour.size());
        byHour.forEach((h, t) -> out.add(new HourTotals(h, t[0], t[1], t[2], t[3], t[4], t[5])));
        return out;
    }

    /** The distinct event ids ClickHouse stores for the project's window {@code [fromMs, toMs)} of {@code received_at}. */
    public Set<String> storedIds(String project, long fromMs, long toMs) {
        QueryResult r = clickhouse.query("SELECT DISTINCT event_id FROM " + MigrationCatalog.EVENTS + " WHERE project_id = "
                + literal(project) + NOT_ALERTS + " AND received_at >= " + time(fromMs) + " AND received_at < " + time(toMs));
        Set<String> out = new HashSet<>(r.size() * 2);
        for (List<String> row : r.rows()) {
            out.add(row.get(0));
        }
        return out;
    }

    /** The distinct users (distinct ids) ClickHouse stores for the project's window. */
    public long storedUsers(String project, long fromMs, long toMs) {
        return clickhouse.queryLong("SELECT uniqExact(distinct_id) FROM " + MigrationCatalog.EVENTS + " WHERE project_id = "
                + literal(project) + NOT_ALERTS + " AND received_at >= " + time(fromMs) + " AND received_at < " + time(toMs));
    }

    /** The accepted copies the collector counted for the project's window. */
    public long acceptedCounted(String project, long fromMs, long toMs) {
        return clickhouse.queryLong("SELECT sum(count) FROM " + MigrationCatalog.DQ_COUNTS + " WHERE project_id = " + literal(project)
                + " AND stage = " + literal(Stages.ACCEPTED) + " AND minute >= " + time(fromMs) + " AND minute < " + time(toMs));
    }

    /**
     * The events of {@code eventName} in {@code [fromMs, toMs)} and, per property of {@code properties}, how many of them
     * carry it (distinct event ids: a sink replay's copy does not count twice).
     */
    public Map<String, Long> fillCounts(String project, String eventName, List<String> properties, long fromMs, long toMs) {
        StringBuilder sql = new StringBuilder("SELECT uniqExact(event_id) AS n");
        for (int i = 0; i < properties.size(); i++) {
            sql.append(", uniqExactIf(event_id, has(properties.key, ").append(literal(properties.get(i))).append(")) AS p").append(i);
        }
        sql.append(" FROM ").append(MigrationCatalog.EVENTS).append(" WHERE project_id = ").append(literal(project))
                .append(" AND event_name = ").append(literal(eventName)).append(" AND received_at >= ").append(time(fromMs))
                .append(" AND received_at < ").append(time(toMs));
        Map<String, String> row = clickhouse.query(sql.toString()).asMaps().get(0);
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("", Long.parseLong(row.get("n")));
        for (int i = 0; i < properties.size(); i++) {
            out.put(properties.get(i), Long.parseLong(row.get("p" + i)));
        }
        return out;
    }

    /** The events' warning tags per hour of {@code [fromMs, toMs)}: tag, hour, events, first and last, one event id. */
    public List<Map<String, String>> warnings(String project, long fromMs, long toMs) {
        return clickhouse.query("SELECT w AS tag, toUnixTimestamp(toStartOfHour(received_at)) AS h, uniqExact(event_id) AS n,"
                + " min(received_at_ms) AS first_ms, max(received_at_ms) AS last_ms, min(event_id) AS sample FROM "
                + MigrationCatalog.EVENTS + " ARRAY JOIN warnings AS w WHERE project_id = " + literal(project) + NOT_ALERTS
                + " AND received_at >= " + time(fromMs) + " AND received_at < " + time(toMs)
                + " GROUP BY tag, h ORDER BY h, tag").asMaps();
    }

    /**
     * Latency percentiles (milliseconds) of the project's events received in {@code [fromMs, toMs)}, from ClickHouse:
     * {@code client} = received_at − event_time (after the topology's clock-skew correction), {@code skew} = the
     * correction applied (client clock − corrected event time, for events that carried a client time), and
     * {@code visible} = inserted_at − received_at (whole seconds: {@code inserted_at} is a {@code DateTime}). Keys
     * {@code n}, {@code <name>_p50|_p95|_p99}; a percentile of no events is absent.
     */
    public Map<String, Long> latency(String project, long fromMs, long toMs) {
        String sql = "SELECT count() AS n"
                + ", quantile(0.5)(c) AS client_p50, quantile(0.95)(c) AS client_p95, quantile(0.99)(c) AS client_p99"
                + ", quantileIf(0.5)(k, has_k) AS skew_p50, quantileIf(0.95)(k, has_k) AS skew_p95, quantileIf(0.99)(k, has_k) AS skew_p99"
                + ", quantile(0.5)(v) AS visible_p50, quantile(0.95)(v) AS visible_p95, quantile(0.99)(v) AS visible_p99"
                + " FROM (SELECT toInt64(received_at_ms) - toInt64(event_time_ms) AS c,"
                + " toInt64(client_time_ms) - toInt64(event_time_ms) AS k, client_time_ms > 0 AS has_k,"
                + " (toInt64(toUnixTimestamp(inserted_at)) - intDiv(toInt64(received_at_ms), 1000)) * 1000 AS v FROM "
                + MigrationCatalog.EVENTS + " WHERE project_id = " + literal(project) + NOT_ALERTS
                + " AND received_at >= " + time(fromMs) + " AND received_at < " + time(toMs) + ")";
        Map<String, String> row = clickhouse.query(sql).asMaps().get(0);
        Map<String, Long> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) {
                    out.put(k, Math.round(d));
                }
            } catch (NumberFormatException nan) {
                // nan: no events
            }
        });
        return out;
    }

    /** The projects with counts since {@code fromMs}. */
    public List<String> projectsSince(long fromMs) {
        QueryResult r = clickhouse.query("SELECT DISTINCT project_id FROM " + MigrationCatalog.DQ_COUNTS
                + " WHERE stage != '' AND project_id != '' AND minute >= " + time(fromMs) + " ORDER BY project_id");
        List<String> out = new ArrayList<>();
        r.rows().forEach(row -> out.add(row.get(0)));
        return out;
    }

    static String time(long epochMs) {
        return "toDateTime(" + literal(SECONDS.format(Instant.ofEpochMilli(epochMs))) + ", 'UTC')";
    }

    /** A ClickHouse string literal: backslash and quote escaped, control characters as {@code \xHH}. */
    static String literal(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '\'') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
