package io.beacon.dq.runtime;

import io.beacon.control.registry.EventDefinition;
import io.beacon.dq.AlertSink;
import io.beacon.dq.DqAlert;
import io.beacon.dq.DqSettings;
import io.beacon.dq.StageCount;
import io.beacon.dq.Stages;
import io.beacon.dq.alert.AlertRules;
import io.beacon.dq.anomaly.VolumeDetector;
import io.beacon.dq.anomaly.VolumeSettings;
import io.beacon.dq.collector.DqCollector;
import io.beacon.dq.collector.TopicScan;
import io.beacon.dq.loss.LossReport;
import io.beacon.dq.monitor.Monitors;
import io.beacon.dq.reconcile.Reconciliation;
import io.beacon.dq.store.DqStore;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-quality module's front door: the collector (stage counts into {@code dq_counts}), the checker (every
 * {@code check-interval}: the loss rate of the windows that became complete, their reconciliation, volume anomalies
 * per event and hour, each finding raised once as a {@code $dq_alert}), and the reads the API serves.
 */
public final class DataQuality implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataQuality.class);
    private static final long HOUR_MS = 3_600_000L;
    private static final long WEEK_MS = 7 * 24 * HOUR_MS;
    /** Raw records one reconciliation reads at most. */
    private static final long MAX_SCAN = 5_000_000;
    private final DqSettings settings;
    private final DqStore store;
    private final DqCollector collector;
    private final TopicScan scan;
    private final AlertSink alerts;
    private final LongSupplier clock;
    private final VolumeSettings volume;
    private final ScheduledExecutorService checker;
    /** Alert event ids raised by this process (the topology's dedup removes the repeats of another process). */
    private final Set<String> raised = ConcurrentHashMap.newKeySet();
    /** project → windows already reconciled by this process. */
    private final Map<String, Set<Long>> reconciled = new ConcurrentHashMap<>();
    private volatile String lastCheck = "not yet";
    /** The fill rate below which a registered property is flagged (and alerts). */
    public static final double MIN_FILL_RATE = 0.95;
    private final Function<String, List<EventDefinition>> registry;

    private DataQuality(DqSettings settings, ClickHouse clickhouse, AlertSink alerts, LongSupplier clock, boolean collect,
                        Function<String, List<EventDefinition>> registry) {
        this.settings = settings;
        this.registry = registry;
        this.store = new DqStore(clickhouse);
        this.collector = collect ? new DqCollector(settings, store, clock) : null;
        this.scan = new TopicScan(settings.bootstrapServers());
        this.alerts = alerts;
        this.clock = clock;
        this.volume = VolumeSettings.defaults();
        this.checker = collect ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "beacon-dq-checker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** The collector and the checker (a node with the sink role), and the reads. */
    public static DataQuality start(DqSettings settings, ClickHouse clickhouse, AlertSink alerts, LongSupplier clock,
                                    Function<String, List<EventDefinition>> registry) {
        DataQuality dq = new DataQuality(settings, clickhouse, alerts, clock, true, registry);
        dq.collector.start();
        long every = settings.checkInterval().toMillis();
        dq.checker.scheduleWithFixedDelay(dq::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        return dq;
    }

    /** The reads and on-demand reconciliations only (a node without the sink role, the CLI). */
    public static DataQuality readOnly(DqSettings settings, ClickHouse clickhouse, LongSupplier clock,
                                       Function<String, List<EventDefinition>> registry) {
        return new DataQuality(settings, clickhouse, a -> CompletableFuture.completedFuture(null), clock, false, registry);
    }

    public DqSettings settings() {
        return settings;
    }

    /** Counts per bucket ({@code bucketMs}: a minute or a window) of {@code [fromMs, toMs)}, {@code stored} included. */
    public List<StageCount> counts(String project, long fromMs, long toMs, long bucketMs) {
        return store.counts(project, fromMs, toMs, bucketMs);
    }

    /** The loss rate per window of {@code [fromMs, toMs)}, with completeness as of now. */
    public List<LossReport.Hour> loss(String project, long fromMs, long toMs) {
        long w = settings.window().toMillis();
        return LossReport.of(store.windowTotals(project, settings.windowOf(fromMs), toMs, w), w, clock.getAsLong(),
                caughtUpToMs(), settings.grace().toMillis(), settings.lossThreshold());
    }

    /** Reconciles the project's window starting at {@code windowMs} against the raw topic and the DLQ. */
    public Reconciliation reconcile(String project, long windowMs) {
        long end = windowMs + settings.window().toMillis();
        TopicScan.RawWindow raw = scan.raw(settings.topics().raw(), project, windowMs, end, MAX_SCAN);
        Set<String> dead = scan.deadLettered(settings.topics().dlq(), project, windowMs, MAX_SCAN);
        return Reconciliation.of(raw.copies(), raw.distinctIds(), dead, store.storedIds(project, windowMs, end),
                store.storedUsers(project, windowMs, end), store.acceptedCounted(project, windowMs, end), settings.sampleSize());
    }

    /** The fill rates of the properties of every registered event of the project, over {@code [fromMs, toMs)}. */
    public List<Monitors.FillRate> monitors(String project, long fromMs, long toMs) {
        List<Monitors.FillRate> out = new ArrayList<>();
        for (EventDefinition d : registry.apply(project)) {
            List<String> props = new ArrayList<>(d.requiredProperties());
            props.addAll(d.optionalProperties());
            Map<String, Long> filled = store.fillCounts(project, d.name(), props, fromMs, toMs);
            out.addAll(Monitors.fillRates(d.name(), filled.get(""), d.requiredProperties(), d.optionalProperties(), filled, MIN_FILL_RATE));
        }
        return out;
    }

    /**
     * The project's ingestion warnings of {@code [fromMs, toMs)}, one per code and hour: the events' warning tags
     * (clock skew clamped, identity merge refused, the registry's permissive findings, …) and the dead letters by code.
     */
    public List<Monitors.Warning> warnings(String project, long fromMs, long toMs) {
        List<Monitors.Warning> out = new ArrayList<>();
        for (Map<String, String> m : store.warnings(project, fromMs, toMs)) {
            out.add(Monitors.warning(m.get("tag"), Long.parseLong(m.get("h")) * 1000, Long.parseLong(m.get("n")),
                    Long.parseLong(m.get("first_ms")), Long.parseLong(m.get("last_ms")), m.get("sample")));
        }
        Map<String, Long> dead = new TreeMap<>();
        for (StageCount c : store.counts(project, fromMs, toMs, HOUR_MS)) {
            if (Stages.DEAD_LETTERED.equals(c.stage())) {
                dead.merge(c.bucketMs() + " " + c.code(), c.count(), Long::sum);
            }
        }
        dead.forEach((k, n) -> {
            int sp = k.indexOf(' ');
            out.add(Monitors.deadLetters(k.substring(sp + 1), Long.parseLong(k.substring(0, sp)), n));
        });
        out.sort(Comparator.comparingLong(Monitors.Warning::hourMs).thenComparing(Monitors.Warning::code));
        return out;
    }

    /**
     * The latency figures of {@code [fromMs, toMs)}: from ClickHouse (client → server, the skew correction, → visible in
     * ClickHouse; see {@link DqStore#latency}) and the collector's received_at → valid topic of this node since it
     * started ({@code valid_*}).
     */
    public Map<String, Long> latency(String project, long fromMs, long toMs) {
        Map<String, Long> out = new LinkedHashMap<>(store.latency(project, fromMs, toMs));
        if (collector != null) {
            collector.toValidTopic().of(project).ifPresent(p -> {
                out.put("valid_n", p.count());
                out.put("valid_p50", p.p50Ms());
                out.put("valid_p95", p.p95Ms());
                out.put("valid_p99", p.p99Ms());
                out.put("valid_max", p.maxMs());
            });
        }
        return out;
    }

    /** The collector's Prometheus figures (none on a read-only instance). */
    public MultiCollector metrics() {
        return collector == null ? () -> MetricSnapshots.of() : collector.metrics();
    }

    /** Where the collector has read to (see {@link DqCollector#caughtUpToMs()}); 0 on a read-only instance. */
    public long caughtUpToMs() {
        return collector == null ? 0 : collector.caughtUpToMs();
    }

    /** "ok", or why the collector stopped. */
    public String readiness() {
        if (collector == null) {
            return "ok";
        }
        String f = collector.failure();
        return f == null ? "ok" : "the data-quality collector stopped: " + f;
    }

    /** What the last check did (for the health page and logs). */
    public String lastCheck() {
        return lastCheck;
    }

    /** Runs one check now (also what the schedule runs); returns the alerts raised by it. */
    public List<DqAlert> check() {
        long now = clock.getAsLong();
        List<DqAlert> found = new ArrayList<>();
        for (String project : store.projectsSince(now - settings.lookback().toMillis())) {
            List<LossReport.Hour> windows = loss(project, now - settings.lookback().toMillis(), now);
            found.addAll(AlertRules.loss(project, windows, settings.lossThreshold()));
            // the latest complete window not reconciled yet by this process
            windows.stream().filter(LossReport.Hour::complete).map(h -> h.totals().hourMs()).max(Long::compare).ifPresent(latest -> {
                if (reconciled.computeIfAbsent(project, k -> ConcurrentHashMap.newKeySet()).add(latest)) {
                    AlertRules.reconciliation(project, latest, reconcile(project, latest), settings.accuracyThreshold()).ifPresent(found::add);
                }
            });
            found.addAll(volume(project, now));
            found.addAll(fillRates(project, now));
            found.addAll(latencyAlerts(project, windows));
        }
        List<DqAlert> fresh = new ArrayList<>();
        for (DqAlert a : found) {
            if (raised.add(a.eventId())) {
                alerts.raise(a).whenComplete((x, e) -> {
                    if (e != null) {
                        raised.remove(a.eventId()); // raised again at the next check
                        LOG.warn("data-quality alert {} not written: {}", a.eventId(), e.toString());
                    }
                });
                fresh.add(a);
            }
        }
        lastCheck = "at " + Instant.ofEpochMilli(now) + ": " + found.size() + " findings, " + fresh.size() + " new alerts";
        return fresh;
    }

    /** Volume anomalies of the last complete hour per event (accepted counts, baseline of the previous weeks). */
    private List<DqAlert> volume(String project, long now) {
        long lastHour = Math.floorDiv(now - settings.grace().toMillis(), HOUR_MS) * HOUR_MS - HOUR_MS;
        if (lastHour + HOUR_MS > caughtUpToMs()) {
            return List.of();
        }
        long from = lastHour - (volume.baselineWeeks() + 1) * WEEK_MS;
        Map<String, SortedMap<Long, Long>> series = new HashMap<>();
        for (StageCount c : store.counts(project, from, lastHour + HOUR_MS, HOUR_MS)) {
            if (Stages.ACCEPTED.equals(c.stage()) && !c.eventName().isEmpty()) {
                series.computeIfAbsent(c.eventName(), k -> new TreeMap<>()).merge(c.bucketMs(), c.count(), Long::sum);
            }
        }
        List<DqAlert> out = new ArrayList<>();
        series.forEach((event, s) -> out.addAll(AlertRules.volume(project, event,
                VolumeDetector.detect(s, lastHour, lastHour + HOUR_MS, volume), volume.sensitivity())));
        return out;
    }

    /** A latency alert per complete window whose p99 received_at → visible in ClickHouse is over the threshold. */
    private List<DqAlert> latencyAlerts(String project, List<LossReport.Hour> windows) {
        List<DqAlert> out = new ArrayList<>();
        long w = settings.window().toMillis();
        long limit = settings.latencyThreshold().toMillis();
        for (LossReport.Hour h : windows) {
            if (!h.complete() || h.totals().stored() == 0) {
                continue;
            }
            Long p99 = store.latency(project, h.totals().hourMs(), h.totals().hourMs() + w).get("visible_p99");
            if (p99 != null && p99 > limit) {
                out.add(new DqAlert(project, "latency", "*", h.totals().hourMs(), "warning", p99 / 1000.0, limit / 1000.0,
                        String.format(Locale.ROOT, "p99 received → visible in ClickHouse was %.0f s (threshold %.0f s)", p99 / 1000.0, limit / 1000.0),
                        Map.of("p99_ms", Long.toString(p99))));
            }
        }
        return out;
    }

    /** A fill-rate alert per registered property below the minimum in the last complete hour. */
    private List<DqAlert> fillRates(String project, long now) {
        long lastHour = Math.floorDiv(now - settings.grace().toMillis(), HOUR_MS) * HOUR_MS - HOUR_MS;
        if (lastHour + HOUR_MS > caughtUpToMs()) {
            return List.of();
        }
        List<DqAlert> out = new ArrayList<>();
        for (Monitors.FillRate f : monitors(project, lastHour, lastHour + HOUR_MS)) {
            if (f.below()) {
                out.add(new DqAlert(project, "fill_rate", f.eventName() + "." + f.property(), lastHour, f.required() ? "critical" : "warning",
                        f.rate(), MIN_FILL_RATE, String.format(Locale.ROOT, "%s.%s present in %.1f %% of %d events (minimum %.0f %%)",
                        f.eventName(), f.property(), f.rate() * 100, f.events(), MIN_FILL_RATE * 100),
                        Map.of("events", Long.toString(f.events()), "filled", Long.toString(f.filled()))));
            }
        }
        return out;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            lastCheck = "failed: " + e;
            LOG.warn("data-quality check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
        if (collector != null) {
            collector.close();
        }
    }
}
