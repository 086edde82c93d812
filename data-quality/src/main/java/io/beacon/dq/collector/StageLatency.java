package io.beacon.dq.collector;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * One stage's latency per project (milliseconds, HdrHistogram with 3 significant digits, up to an hour; longer is
 * recorded as an hour, shorter than 0 — clocks of two hosts — as 0), since this process started.
 */
public final class StageLatency {
    private static final long MAX_MS = 3_600_000L;
    private final Map<String, Histogram> byProject = new ConcurrentHashMap<>();

    /** Percentiles of one project's latencies. */
    public record Percentiles(long count, long p50Ms, long p95Ms, long p99Ms, long maxMs) {
    }

    public void record(String project, long ms) {
        Histogram h = byProject.computeIfAbsent(project, k -> new Histogram(MAX_MS, 3));
        synchronized (h) {
            h.recordValue(Math.max(0, Math.min(MAX_MS, ms)));
        }
    }

    public Optional<Percentiles> of(String project) {
        Histogram h = byProject.get(project);
        if (h == null) {
            return Optional.empty();
        }
        synchronized (h) {
            return Optional.of(new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
                    h.getValueAtPercentile(99), h.getMaxValue()));
        }
    }

    /** Every project's percentiles. */
    public Map<String, Percentiles> all() {
        Map<String, Percentiles> out = new TreeMap<>();
        byProject.keySet().forEach(p -> of(p).ifPresent(v -> out.put(p, v)));
        return out;
    }
}
