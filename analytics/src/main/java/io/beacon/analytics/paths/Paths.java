package io.beacon.analytics.paths;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.analytics.query.Breakdown;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.event.RefusedException;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a paths query: one statement ({@link PathSql#transitions}) returning every (step, source, target)
 * with its sessions; here node totals are summed from all rows, and per step the {@code links_per_step}
 * largest links are kept (ties: source label, then target label, both in ClickHouse's String order, {@link Breakdown#VALUE_ORDER}).
 */
public final class Paths {
    private Paths() {
    }

    private record Key(int step, String label) {
    }

    private record Row(int step, String source, String target, boolean last, long sessions) {
    }

    public static PathsResult run(String projectId, InsightQuery.Paths q, SqlRunner runner) {
        long started = System.nanoTime();
        Timed timed = new Timed(runner);
        QueryResult r = timed.run(PathSql.transitions(projectId, q));
        if (r.size() > PathSql.MAX_ROWS) {
            throw new RefusedException(RefusedException.Kind.LIMIT_EXCEEDED, "QUERY_TOO_LARGE", "more than " + PathSql.MAX_ROWS
                    + " distinct transitions: add cleaning rules, filters or a smaller depth", null);
        }
        List<Row> rows = new ArrayList<>();
        for (Map<String, String> m : r.asMaps()) {
            rows.add(new Row(Integer.parseInt(m.get("step")), m.get("source"), m.get("target"), m.get("last").equals("1"),
                    Long.parseLong(m.get("sessions"))));
        }
        return assemble(q, rows, timed, started);
    }

    private static PathsResult assemble(InsightQuery.Paths q, List<Row> rows, Timed timed, long started) {
        Map<Key, long[]> nodeTotals = new HashMap<>(); // [sessions, ended]
        Map<Integer, List<Row>> linksByStep = new TreeMap<>();
        long sessions = 0;
        for (Row row : rows) {
            long[] t = nodeTotals.computeIfAbsent(new Key(row.step(), row.source()), k -> new long[2]);
            t[0] += row.sessions();
            if (row.last()) {
                t[1] += row.sessions();
            } else {
                linksByStep.computeIfAbsent(row.step(), k -> new ArrayList<>()).add(row);
            }
            if (row.step() == 0) {
                sessions += row.sessions();
            }
        }
        Comparator<Row> order = Comparator.comparingLong(Row::sessions).reversed().thenComparing(Row::source, Breakdown.VALUE_ORDER)
                .thenComparing(Row::target, Breakdown.VALUE_ORDER);
        List<Row> kept = new ArrayList<>();
        for (List<Row> links : linksByStep.values()) {
            links.sort(order);
            kept.addAll(links.subList(0, Math.min(q.linksPerStep(), links.size())));
        }
        Set<Key> keys = new LinkedHashSet<>();
        nodeTotals.entrySet().stream().filter(e -> e.getKey().step() == 0)
                .sorted(Comparator.comparingLong((Map.Entry<Key, long[]> e) -> e.getValue()[0]).reversed().thenComparing(e -> e.getKey().label(), Breakdown.VALUE_ORDER))
                .limit(q.linksPerStep()).forEach(e -> keys.add(e.getKey()));
        for (Row row : kept) {
            keys.add(new Key(row.step(), row.source()));
            keys.add(new Key(row.step() + 1, row.target()));
        }
        List<Key> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparingInt(Key::step).thenComparing(Comparator.comparingLong((Key k) -> total(nodeTotals, k)[0]).reversed())
                .thenComparing(Key::label, Breakdown.VALUE_ORDER));
        Map<Key, Integer> ids = new HashMap<>();
        List<PathsResult.Node> nodes = new ArrayList<>();
        for (Key k : sorted) {
            ids.put(k, nodes.size());
            long[] t = total(nodeTotals, k);
            nodes.add(new PathsResult.Node(nodes.size(), k.step(), k.label(), t[0], t[1]));
        }
        List<PathsResult.Link> links = new ArrayList<>();
        for (Row row : kept) {
            links.add(new PathsResult.Link(ids.get(new Key(row.step(), row.source())), ids.get(new Key(row.step() + 1, row.target())),
                    row.step(), row.source(), row.target(), row.sessions()));
        }
        String anchor = q.start() != null ? "start" : q.end() != null ? "end" : "session_start";
        return new PathsResult("paths", q.zone().getId(), q.events().name().toLowerCase(Locale.ROOT), anchor, q.depth(), sessions,
                nodes, links, timed.stats(), (System.nanoTime() - started) / 1_000_000);
    }

    private static long[] total(Map<Key, long[]> totals, Key k) {
        return totals.getOrDefault(k, new long[2]);
    }
}
