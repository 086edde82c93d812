package io.beacon.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.funnels.FunnelResult;
import io.beacon.analytics.funnels.Funnels;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.retention.Retention;
import io.beacon.analytics.retention.RetentionResult;
import io.beacon.analytics.trends.Trends;
import io.beacon.analytics.trends.TrendsResult;
import io.beacon.devstack.ClickHouseServer;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase {@code analytics}: 10 M generated events (500 K persons, 35 days, 50 K identity links by default) inserted into
 * ClickHouse directly with one {@code INSERT … SELECT FROM numbers()} and merged ({@code OPTIMIZE FINAL}); then a
 * 4-step funnel, a 30-day daily retention (30 offsets) and a daily trend broken down by country, each through the
 * analytics runner (the SQL the API runs, over HTTP with {@code client-v2}, parsing included) next to the <em>same
 * analysis</em> written by hand and run by {@code clickhouse-client --time}: the same rows (re-sent copies once —
 * {@code FINAL} where a copy could change a number —, today's person through the identity links, the UTC zone of
 * the query) and the same semantics (funnel order {@code (event_time_ms, event_id)}, best attempt, step times and
 * medians; recurring "on" retention; top 10 countries by events + {@code $other}). The bench compares both
 * results and reports a mismatch. Each is run once to warm up, then {@value #RUNS} times; the median counts. A
 * levels-only {@code windowFunnel} is timed too, for reference (it is not the same analysis: no event-id tie
 * break, no step times). Not a test: it reports, it asserts nothing.
 */
public final class AnalyticsBench {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsBench.class);
    static final int RUNS = 3;
    private static final String PROJECT = "bench";
    private static final String RANGE = "\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-30\"}";
    private static final String WHERE = "project_id = 'bench' AND event_date >= toDate('2026-03-01') AND event_date <= toDate('2026-03-31')"
            + " AND event_time >= toDateTime('2026-03-01 00:00:00', 'UTC') AND event_time < toDateTime('2026-03-31 00:00:00', 'UTC')";

    /** One analysis: the runner's median and the hand-written median, in ms. */
    record Timing(String name, long runnerMs, long handMs, String note) {
        double ratio() {
            return handMs == 0 ? Double.NaN : (double) runnerMs / handMs;
        }
    }

    private AnalyticsBench() {
    }

    /** Runs the phase against {@code server} (a private ClickHouse), in a database of its own. */
    static List<Timing> run(ClickHouseServer server, long events, long links) throws Exception {
        String database = "bench_analytics";
        try (ClickHouse admin = ClickHouse.connect(ClickHouseSettings.of(server.httpUrl(), "default"))) {
            admin.execute("DROP DATABASE IF EXISTS " + database);
        }
        // Loading and merging 10 M rows on a shared 2-core machine takes minutes: a long socket timeout.
        try (ClickHouse ch = ClickHouse.connect(new ClickHouseSettings(server.httpUrl(), database, "default", "", Duration.ofMinutes(30)))) {
            new Migrations(ch).apply();
            long t0 = System.nanoTime();
            ch.execute(generate(events));
            if (links > 0) { // 18.16: numbers(0) does not end
                ch.execute("INSERT INTO person_distinct_ids (project_id, distinct_id, person_id, event_id, version) SELECT 'bench',"
                    + " concat('u', toString(number * 10)), concat('u', toString(number * 10 + 1)), concat('l', toString(number)), 1 FROM numbers(" + links + ")");
            }
            long loaded = System.nanoTime();
            ch.execute("OPTIMIZE TABLE events FINAL");
            LOG.info("analytics bench: {} events inserted in {} s, merged in {} s", ch.queryLong("SELECT count() FROM events"),
                    (loaded - t0) / 1_000_000_000, (System.nanoTime() - loaded) / 1_000_000_000);
            ZoneId utc = ZoneId.of("UTC");
            List<Timing> out = new ArrayList<>();
            InsightQuery.Funnel funnel = (InsightQuery.Funnel) QueryParser.parse(json("{\"analysis\":\"funnels\"," + RANGE
                    + ",\"window\":{\"value\":1,\"unit\":\"day\"},\"steps\":[{\"event\":\"view\"},{\"event\":\"add_to_cart\"},"
                    + "{\"event\":\"checkout\"},{\"event\":\"purchase\"}]}"), utc);
            lastFailure = "";
            long windowFunnel = handMedian(server, database, "SELECT level, count() FROM (SELECT distinct_id, windowFunnel(86400)(event_time,"
                    + " event_name = 'view', event_name = 'add_to_cart', event_name = 'checkout', event_name = 'purchase') AS level FROM events WHERE "
                    + WHERE + " AND event_name IN ('view', 'add_to_cart', 'checkout', 'purchase') GROUP BY distinct_id) GROUP BY level");
            out.add(withFailure(new Timing("4-step funnel (ordered, 1-day window, 30 days)",
                    median(() -> Funnels.run(PROJECT, funnel, ch::query).millis()), handMedian(server, database, HAND_FUNNEL),
                    "both: FINAL, persons through the links, (event_time_ms, event_id) order, best attempt, step times and medians; "
                            + compare(() -> compareFunnel(Funnels.run(PROJECT, funnel, ch::query), handRows(server, database, HAND_FUNNEL)))
                            + "; levels-only windowFunnel (not the same analysis) " + windowFunnel + " ms")));
            InsightQuery.Retention retention = (InsightQuery.Retention) QueryParser.parse(json("{\"analysis\":\"retention\"," + RANGE
                    + ",\"period\":\"day\",\"periods\":30,\"start_event\":{\"event\":\"signup\"},\"return_event\":{\"event\":\"purchase\"}}"), utc);
            lastFailure = "";
            out.add(withFailure(new Timing("30-day retention (daily, 30 offsets, recurring)",
                    median(() -> Retention.run(PROJECT, retention, ch::query).millis()), handMedian(server, database, HAND_RETENTION),
                    "both: persons through the links, no FINAL (sets of periods: a copy changes nothing), UTC day indexes; "
                            + compare(() -> compareRetention(Retention.run(PROJECT, retention, ch::query), handRows(server, database, HAND_RETENTION))))));
            InsightQuery.Trends trend = (InsightQuery.Trends) QueryParser.parse(json("{\"analysis\":\"trends\"," + RANGE
                    + ",\"interval\":\"day\",\"series\":[{\"event\":\"view\"}],\"breakdown\":{\"property\":\"country\",\"limit\":10}}"), utc);
            lastFailure = "";
            out.add(withFailure(new Timing("daily trend, breakdown by country (top 10 + other)",
                    median(() -> Trends.run(PROJECT, trend, ch::query).millis()), handMedian(server, database, HAND_TREND),
                    "both: FINAL, one scan, top 10 by events (ties by value) + $other; "
                            + compare(() -> compareTrend(Trends.run(PROJECT, trend, ch::query), handRows(server, database, HAND_TREND))))));
            if (links > 0) {
                // The same runner statements without identity links: isolates the cost of resolving persons
                // (MigrationCatalog.resolvedPerson inlines every link into each statement).
                ch.execute("TRUNCATE TABLE person_distinct_ids");
                List<Timing> withLinks = List.copyOf(out);
                for (int i = 0; i < withLinks.size(); i++) {
                    Timing t = withLinks.get(i);
                    lastFailure = "";
                    Supplier<Long> again = switch (i) {
                        case 0 -> () -> Funnels.run(PROJECT, funnel, ch::query).millis();
                        case 1 -> () -> Retention.run(PROJECT, retention, ch::query).millis();
                        default -> () -> Trends.run(PROJECT, trend, ch::query).millis();
                    };
                    out.add(withFailure(new Timing(t.name() + " — without identity links", median(again), t.handMs(),
                            "as above, person_distinct_ids empty: the cost of the person join (hand-written time is with links; not compared)")));
                }
            }
            return out;
        } finally {
            try (ClickHouse admin = ClickHouse.connect(ClickHouseSettings.of(server.httpUrl(), "default"))) {
                admin.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
    }

    /** The person of an event today, by hand: an ANY LEFT JOIN against the project's current links. */
    private static final String PERSON_JOIN = " ANY LEFT JOIN (SELECT distinct_id AS pid, argMax(person_id, version) AS lp FROM person_distinct_ids"
            + " WHERE project_id = 'bench' GROUP BY distinct_id) USING pid";

    /** One "next step-k event after each step k−1 event" merge of the hand-written funnel (k = %1$d, previous %2$d). */
    private static final String HAND_NEXT = """
               arrayFilter((p, s) -> s = %1$d, pos, st) AS e%1$dp, arrayFilter((t, s) -> s = %1$d, ts, st) AS e%1$dt,
               arrayReverse(arraySort(arrayConcat(
                 arrayMap((p, dp, dt) -> (2 * toInt64(p), dp, dt), e%1$dp,
                   arrayReverse(arrayPopFront(arrayDifference(arrayPushFront(arrayReverse(arrayMap(x -> toInt64(x), e%1$dp)), none)))),
                   arrayReverse(arrayPopFront(arrayDifference(arrayPushFront(arrayReverse(e%1$dt), far))))),
                 arrayMap(p -> (2 * toInt64(p) + 1, toInt64(0), toInt64(0)), q%2$dp)))) AS m%1$d,
               arrayReverse(arrayFilter((v, x) -> tupleElement(x, 1) %% 2 = 1, arrayMap(c -> c + none, arrayCumSum(arrayMap(x -> tupleElement(x, 2), m%1$d))), m%1$d)) AS q%1$dp,
               arrayReverse(arrayFilter((v, x) -> tupleElement(x, 1) %% 2 = 1, arrayMap(c -> c + far, arrayCumSum(arrayMap(x -> tupleElement(x, 3), m%1$d))), m%1$d)) AS q%1$dt,
            """;

    /**
     * The funnel by hand: per person the step numbers and times sorted by (time, event id); for every step-1 event the
     * first step-2 event after it, then step 3 after that, … (each a sorted merge), level = steps within the 1-day
     * window; best attempt = deepest, then earliest.
     */
    static final String HAND_FUNNEL = "SELECT countIf(level >= 1), countIf(level >= 2), countIf(level >= 3), countIf(level >= 4),"
            + " avgIf(d2, level >= 2), quantileExactIf(0.5)(d2, level >= 2), avgIf(d3, level >= 3), quantileExactIf(0.5)(d3, level >= 3),"
            + " avgIf(d4, level >= 4), quantileExactIf(0.5)(d4, level >= 4)\nFROM (\n"
            + " SELECT arrayReduce('max', lv) AS level, indexOf(lv, level) AS best,"
            + " q2t[best] - q1t[best] AS d2, q3t[best] - q2t[best] AS d3, q4t[best] - q3t[best] AS d4\n FROM (\n  SELECT\n"
            + "   arraySort((x, t, e) -> (t, e), groupArray(toInt64(t)), groupArray(t), groupArray(eid)) AS ts,\n"
            + "   arraySort((x, t, e) -> (t, e), groupArray(step), groupArray(t), groupArray(eid)) AS st,\n"
            + "   arrayEnumerate(ts) AS pos, toInt64(length(ts) + 1) AS none, toInt64(4611686018427387904) AS far,\n"
            + "   arrayFilter((p, s) -> s = 1, pos, st) AS q1p, arrayFilter((t, s) -> s = 1, ts, st) AS q1t,\n"
            + HAND_NEXT.formatted(2, 1) + HAND_NEXT.formatted(3, 2) + HAND_NEXT.formatted(4, 3)
            + "   arrayMap((l, a, b, c) -> 1 + (a <= l) + (b <= l) + (c <= l), arrayMap(t -> t + 86400000, q1t), q2t, q3t, q4t) AS lv\n"
            + "  FROM (SELECT t, eid, step, if(lp = '', pid, lp) AS person FROM (SELECT event_time_ms AS t, event_id AS eid,"
            + " multiIf(event_name = 'view', 1, event_name = 'add_to_cart', 2, event_name = 'checkout', 3, 4) AS step,"
            + " if(person_id = '', distinct_id, person_id) AS pid FROM events FINAL WHERE " + WHERE
            + " AND event_name IN ('view', 'add_to_cart', 'checkout', 'purchase'))" + PERSON_JOIN + ")\n  GROUP BY person\n )\n)";

    /** Recurring daily retention by hand: per person the sets of signup and purchase days, one row per signup day. */
    static final String HAND_RETENTION;

    static {
        StringBuilder offsets = new StringBuilder();
        for (int k = 0; k < 30; k++) {
            offsets.append(", sum(has(returns, cohort + ").append(k).append("))");
        }
        HAND_RETENTION = "SELECT cohort, count()" + offsets + " FROM (SELECT person, groupUniqArrayIf(d, event_name = 'signup') AS starts,"
                + " groupUniqArrayIf(d, event_name = 'purchase') AS returns FROM (SELECT event_name, d, if(lp = '', pid, lp) AS person FROM"
                + " (SELECT event_name, toUInt32(toDate(event_time, 'UTC')) AS d, if(person_id = '', distinct_id, person_id) AS pid FROM events"
                + " WHERE " + WHERE + " AND event_name IN ('signup', 'purchase'))" + PERSON_JOIN + ") GROUP BY person)"
                + " ARRAY JOIN starts AS cohort GROUP BY cohort ORDER BY cohort";
    }

    /** The breakdown trend by hand: one scan; per country its total and daily counts; ranks from one sorted row. */
    static final String HAND_TREND = "SELECT tupleElement(pair, 1) AS day, if(rank <= 10, v, '$other') AS bd, sum(tupleElement(pair, 2))\n"
            + "FROM (SELECT v, rank, pairs FROM (SELECT arraySort((x, t) -> (-t, x), groupArray(v), groupArray(n)) AS sv,"
            + " arraySort((x, y, t) -> (-t, y), groupArray(pairs), groupArray(v), groupArray(n)) AS sp"
            + " FROM (SELECT v, sum(c) AS n, groupArray((day, c)) AS pairs FROM (SELECT toDate(event_time, 'UTC') AS day, country AS v,"
            + " count() AS c FROM events FINAL WHERE " + WHERE + " AND event_name = 'view' GROUP BY day, v) GROUP BY v))"
            + " ARRAY JOIN sv AS v, sp AS pairs, arrayEnumerate(sv) AS rank) ARRAY JOIN pairs AS pair GROUP BY day, bd ORDER BY day, bd";

    /** "results equal" or "RESULTS DIFFER: …" (the first difference), never an exception. */
    private static String compare(Supplier<String> difference) {
        try {
            String d = difference.get();
            return d == null ? "results equal" : "RESULTS DIFFER: " + d;
        } catch (RuntimeException e) {
            return "results not compared: " + String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
        }
    }

    static String compareFunnel(FunnelResult r, List<String[]> hand) {
        String[] h = hand.get(0);
        List<FunnelResult.Step> steps = r.groups().get(0).steps();
        for (int k = 1; k <= 4; k++) {
            if (steps.get(k - 1).count() != Long.parseLong(h[k - 1])) {
                return "step " + k + " count " + steps.get(k - 1).count() + " vs " + h[k - 1];
            }
            if (k > 1 && steps.get(k - 1).count() > 0) {
                double avg = Double.parseDouble(h[4 + 2 * (k - 2)]);
                double med = Double.parseDouble(h[5 + 2 * (k - 2)]);
                if (Math.abs(steps.get(k - 1).avgMillisFromPrevious() - avg) > 1e-6 * Math.max(1, Math.abs(avg))
                        || steps.get(k - 1).medianMillisFromPrevious() != med) {
                    return "step " + k + " times " + steps.get(k - 1).avgMillisFromPrevious() + "/" + steps.get(k - 1).medianMillisFromPrevious()
                            + " vs " + avg + "/" + med;
                }
            }
        }
        return null;
    }

    static String compareRetention(RetentionResult r, List<String[]> hand) {
        Map<String, String[]> byDay = new HashMap<>();
        for (String[] row : hand) {
            byDay.put(LocalDate.ofEpochDay(Long.parseLong(row[0])).toString(), row);
        }
        for (RetentionResult.Cohort c : r.cohorts()) {
            String[] h = byDay.remove(c.period());
            if (h == null) {
                if (c.size() != 0) {
                    return "cohort " + c.period() + " size " + c.size() + " vs absent";
                }
                continue;
            }
            if (c.size() != Long.parseLong(h[1])) {
                return "cohort " + c.period() + " size " + c.size() + " vs " + h[1];
            }
            for (int k = 0; k < c.counts().size(); k++) {
                Long got = c.counts().get(k);
                if (got != null && got != Long.parseLong(h[2 + k])) {
                    return "cohort " + c.period() + " offset " + k + " " + got + " vs " + h[2 + k];
                }
            }
        }
        return byDay.isEmpty() ? null : "hand-written cohorts not in the result: " + byDay.keySet();
    }

    static String compareTrend(TrendsResult r, List<String[]> hand) {
        Map<String, Double> expected = new HashMap<>();
        for (String[] row : hand) {
            expected.put(row[0] + "|" + row[1], Double.parseDouble(row[2]));
        }
        for (TrendsResult.Line l : r.series()) {
            for (int i = 0; i < l.labels().size(); i++) {
                double want = expected.getOrDefault(l.labels().get(i) + "|" + l.breakdownValue(), 0.0);
                expected.remove(l.labels().get(i) + "|" + l.breakdownValue());
                if (l.values().get(i) == null || l.values().get(i) != want) {
                    return l.breakdownValue() + " on " + l.labels().get(i) + ": " + l.values().get(i) + " vs " + want;
                }
            }
        }
        return expected.isEmpty() ? null : "hand-written values not in the result: " + expected.keySet();
    }

    /** The hand-written statement's result rows (TabSeparated through {@code clickhouse-client}). */
    private static List<String[]> handRows(ClickHouseServer server, String database, String sql) {
        try {
            Process p = new ProcessBuilder("clickhouse-client", "--host", "127.0.0.1", "--port", Integer.toString(server.tcpPort()),
                    "--database", database, "--format", "TabSeparated", "--query", sql).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("clickhouse-client failed: " + text);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Timing withFailure(Timing t) {
        return t.runnerMs() >= 0 ? t : new Timing(t.name(), -1, t.handMs(), "runner failed: " + lastFailure);
    }

    /** 10 M-style events: names skewed like a shop (view 55 %, cart 20 %, checkout 12 %, purchase 8 %, signup 5 %). */
    static String generate(long events) {
        return "INSERT INTO events (project_id, event_id, event_type, event_name, event_time, event_time_ms, event_date, user_id, distinct_id,"
                + " session_id, person_id, platform, country)\n"
                + "SELECT 'bench', concat('e', toString(number)), 'track',\n"
                + "  multiIf(r < 55, 'view', r < 75, 'add_to_cart', r < 87, 'checkout', r < 95, 'purchase', 'signup'),\n"
                + "  toDateTime(sec, 'UTC'), toUInt64(sec) * 1000 + number % 1000, toDate(toDateTime(sec, 'UTC'), 'UTC'),\n"
                + "  u, u, concat(u, '-', toString(intDiv(sec, 3600))), '', 'web',\n"
                + "  ['DE', 'US', 'IN', 'FR', 'GB', 'BR', 'JP', 'ES', 'IT', 'NL', 'SE', 'PL', 'CA', 'AU'][intHash32(number * 5 + 2) % 14 + 1]\n"
                + "FROM (SELECT number, intHash32(number * 7 + 3) % 100 AS r, toUInt32(1772323200 + intHash32(number) % (35 * 86400)) AS sec,\n"
                + "  concat('u', toString(intHash32(number * 3 + 1) % 500000)) AS u FROM numbers(" + events + "))";
    }

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s);
    }

    /** The median of {@value #RUNS} runs after one warm-up, or −1 when the analysis fails (logged; reported in the note). */
    private static long median(Supplier<Long> run) {
        try {
            return medianOf(run);
        } catch (RuntimeException e) {
            LOG.warn("analytics bench: the runner failed: {}", e.getMessage());
            lastFailure = e.getMessage().replaceAll("\\s+", " ");
            return -1;
        }
    }

    private static String lastFailure = "";

    private static long medianOf(Supplier<Long> run) {
        run.get();
        long[] t = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t[i] = run.get();
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }

    private static long handMedian(ClickHouseServer server, String database, String sql) throws Exception {
        hand(server, database, sql);
        long[] t = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t[i] = hand(server, database, sql);
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }

    /** {@code clickhouse-client --time}: the server-side elapsed time it prints (stderr), in ms. */
    private static long hand(ClickHouseServer server, String database, String sql) throws Exception {
        Path err = Files.createTempFile("bench-ch-", ".err");
        try {
            Process p = new ProcessBuilder("clickhouse-client", "--host", "127.0.0.1", "--port", Integer.toString(server.tcpPort()),
                    "--database", database, "--time", "--format", "Null", "--query", sql)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("clickhouse-client failed: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            String[] lines = Files.readString(err, StandardCharsets.UTF_8).trim().split("\\s+");
            return Math.round(Double.parseDouble(lines[lines.length - 1]) * 1000);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Whether the bench saw equal results (a ratio against a different analysis meets nothing). */
    private static boolean sameResults(Timing t) {
        return t.note().contains("results equal");
    }

    /** The results as report rows. */
    static List<Figure> figures(List<Timing> timings) {
        List<Figure> out = new ArrayList<>();
        for (Timing t : timings) {
            if (t.runnerMs() < 0) {
                out.add(new Figure("analytics", t.name(), "failed", "hand-written SQL " + t.handMs() + " ms", "—", "≤ 1.2×",
                        Figure.Status.MISSED, t.note()));
                continue;
            }
            out.add(new Figure("analytics", t.name(), t.runnerMs() + " ms", "hand-written SQL " + t.handMs() + " ms",
                    String.format(Locale.ROOT, "%.2f×", t.ratio()), "≤ 1.2×", t.name().contains("without identity links") ? Figure.Status.INFO : Figure.check(t.ratio() <= 1.2 && sameResults(t)), t.note()));
        }
        return out;
    }

    /** Standalone: a private ClickHouse on free ports, the phase, a Markdown table on stdout. Arg: events (default 10 000 000). */
    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long links = args.length > 1 ? Long.parseLong(args[1]) : 50_000L;
        Path dir = Files.createTempDirectory("beacon-bench-analytics-");
        try (ClickHouseServer server = ClickHouseServer.start(dir, 0, 0)) {
            List<Timing> timings = run(server, events, links);
            System.out.println("| analysis | runner (median of " + RUNS + ") | hand-written SQL | ratio | note |");
            System.out.println("|---|---|---|---|---|");
            for (Timing t : timings) {
                System.out.printf(Locale.ROOT, "| %s | %s | %d ms | %s | %s |%n", t.name(), t.runnerMs() < 0 ? "failed" : t.runnerMs() + " ms",
                        t.handMs(), t.runnerMs() < 0 ? "—" : String.format(Locale.ROOT, "%.2f×", t.ratio()), t.note());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
