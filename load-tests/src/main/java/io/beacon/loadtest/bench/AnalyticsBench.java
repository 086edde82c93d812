package io.beacon.loadtest.bench;

import io.beacon.analytics.funnels.Funnels;
import io.beacon.analytics.query.InsightQuery;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.retention.Retention;
import io.beacon.analytics.trends.Trends;
import io.beacon.devstack.ClickHouseServer;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.ClickHouseSettings;
import io.beacon.warehouse.schema.Migrations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase {@code analytics}: 10 M generated events (500 K persons, 35 days, 50 K identity links by default) inserted into
 * ClickHouse directly with one {@code INSERT … SELECT FROM numbers()} and merged ({@code OPTIMIZE FINAL}); then a
 * 4-step funnel, a 30-day daily retention (30 offsets) and a daily trend broken down by country, each through the
 * analytics runner (the SQL the API runs, over HTTP with {@code client-v2}, parsing included) next to the same
 * analysis written by hand in idiomatic SQL ({@code windowFunnel}, plain {@code distinct_id}, no {@code FINAL})
 * and run by {@code clickhouse-client --time}. Each is run once to warm up, then {@value #RUNS} times; the median
 * counts. Not a test: it reports, it asserts nothing.
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
        try (ClickHouse ch = ClickHouse.connect(new ClickHouseSettings(server.httpUrl(), database, "default", "", java.time.Duration.ofMinutes(30)))) {
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
            out.add(withFailure(new Timing("4-step funnel (ordered, 1-day window, 30 days)",
                    median(() -> Funnels.run(PROJECT, funnel, ch::query).millis()),
                    handMedian(server, database, "SELECT level, count() FROM (SELECT distinct_id, windowFunnel(86400)(event_time, event_name = 'view',"
                            + " event_name = 'add_to_cart', event_name = 'checkout', event_name = 'purchase') AS level FROM events WHERE " + WHERE
                            + " AND event_name IN ('view', 'add_to_cart', 'checkout', 'purchase') GROUP BY distinct_id) GROUP BY level"),
                    "runner: per-person sorted arrays with (event_time_ms, event_id) order, best attempt, step times and medians, FINAL, "
                            + "resolved persons; hand: windowFunnel levels only")));
            InsightQuery.Retention retention = (InsightQuery.Retention) QueryParser.parse(json("{\"analysis\":\"retention\"," + RANGE
                    + ",\"period\":\"day\",\"periods\":30,\"start_event\":{\"event\":\"signup\"},\"return_event\":{\"event\":\"purchase\"}}"), utc);
            StringBuilder offsets = new StringBuilder();
            for (int k = 0; k < 30; k++) {
                offsets.append(", sum(has(returns, cohort + ").append(k).append("))");
            }
            lastFailure = "";
            out.add(withFailure(new Timing("30-day retention (daily, 30 offsets, recurring)",
                    median(() -> Retention.run(PROJECT, retention, ch::query).millis()),
                    handMedian(server, database, "SELECT cohort, count()" + offsets + " FROM (SELECT distinct_id,"
                            + " groupUniqArrayIf(toUInt32(toDate(event_time)), event_name = 'signup') AS starts,"
                            + " groupUniqArrayIf(toUInt32(toDate(event_time)), event_name = 'purchase') AS returns FROM events WHERE " + WHERE
                            + " AND event_name IN ('signup', 'purchase') GROUP BY distinct_id) ARRAY JOIN starts AS cohort GROUP BY cohort ORDER BY cohort"),
                    "runner: FINAL, resolved persons, local period indexes; hand: the same arrays over distinct_id without FINAL")));
            InsightQuery.Trends trend = (InsightQuery.Trends) QueryParser.parse(json("{\"analysis\":\"trends\"," + RANGE
                    + ",\"interval\":\"day\",\"series\":[{\"event\":\"view\"}],\"breakdown\":{\"property\":\"country\",\"limit\":10}}"), utc);
            lastFailure = "";
            out.add(withFailure(new Timing("daily trend, breakdown by country (top 10 + other)",
                    median(() -> Trends.run(PROJECT, trend, ch::query).millis()),
                    handMedian(server, database, "SELECT toDate(event_time) AS d, country, count() FROM events WHERE " + WHERE
                            + " AND event_name = 'view' GROUP BY d, country ORDER BY d, country"),
                    "runner: top-N values statement + bucketed statement with FINAL; hand: one GROUP BY without FINAL")));
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
                            "as above, person_distinct_ids empty")));
                }
            }
            return out;
        } finally {
            try (ClickHouse admin = ClickHouse.connect(ClickHouseSettings.of(server.httpUrl(), "default"))) {
                admin.execute("DROP DATABASE IF EXISTS " + database);
            }
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

    private static com.fasterxml.jackson.databind.JsonNode json(String s) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
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
                    String.format(Locale.ROOT, "%.2f×", t.ratio()), "≤ 1.2×", Figure.check(t.ratio() <= 1.2), t.note()));
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
            System.out.println("| analysis | runner (median of " + RUNS + ") | hand-written SQL | ratio |");
            System.out.println("|---|---|---|---|");
            for (Timing t : timings) {
                System.out.printf(Locale.ROOT, "| %s | %s | %d ms | %s |%n", t.name(), t.runnerMs() < 0 ? t.note() : t.runnerMs() + " ms", t.handMs(),
                        t.runnerMs() < 0 ? "—" : String.format(Locale.ROOT, "%.2f×", t.ratio()));
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
