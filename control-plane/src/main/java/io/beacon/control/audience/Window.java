package io.beacon.control.audience;

import java.util.Optional;

/**
 * The rolling windows a rule can count over, bucketed on the Unix epoch (so days are UTC days) and exact at bucket
 * granularity (docs/audiences.md, "Windows"):
 *
 * <table>
 *   <caption>Windows</caption>
 *   <tr><th>window</th><th>bucket</th><th>buckets</th></tr>
 *   <tr><td>{@code 1h}</td><td>1 minute</td><td>60</td></tr>
 *   <tr><td>{@code 24h}</td><td>1 hour</td><td>24</td></tr>
 *   <tr><td>{@code 7d}</td><td>1 hour</td><td>168</td></tr>
 *   <tr><td>{@code 30d}</td><td>1 day (UTC)</td><td>30</td></tr>
 *   <tr><td>{@code all}</td><td>—</td><td>plain total</td></tr>
 * </table>
 *
 * An event at {@code e} is in window {@code W} at time {@code now} iff {@code e ≥ startMs(now)}, the start of the
 * bucket {@code n − 1} buckets before the current one: the window holds the current, partly elapsed bucket and the
 * {@code n − 1} whole buckets before it. The engine keeps its counters in these buckets
 * ({@code io.beacon.engine.state.WindowSpec}); cohorts compile the same start into their SQL.
 */
public enum Window {
    /** One hour. */
    H1("1h", 60_000L, 60),
    /** 24 hours. */
    H24("24h", 3_600_000L, 24),
    /** Seven days. */
    D7("7d", 3_600_000L, 168),
    /** 30 days. */
    D30("30d", 86_400_000L, 30),
    /** Everything since the user was first seen. */
    ALL("all", Long.MAX_VALUE, 0);

    private final String wireName;
    private final long bucketMs;
    private final int buckets;

    Window(String wireName, long bucketMs, int buckets) {
        this.wireName = wireName;
        this.bucketMs = bucketMs;
        this.buckets = buckets;
    }

    /** The JSON spelling: {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d}, {@code all}. */
    public String wireName() {
        return wireName;
    }

    /** The bucket length in ms ({@link Long#MAX_VALUE} for {@code ALL}). */
    public long bucketMs() {
        return bucketMs;
    }

    /** How many buckets the window spans ({@code 0} for {@code ALL}). */
    public int buckets() {
        return buckets;
    }

    /** The earliest event time inside the window at {@code nowMs} ({@link Long#MIN_VALUE} for {@code ALL}). */
    public long startMs(long nowMs) {
        if (this == ALL) {
            return Long.MIN_VALUE;
        }
        return (Math.floorDiv(nowMs, bucketMs) - (buckets - 1)) * bucketMs;
    }

    /** The window spelled {@code text} in JSON; empty for anything else. */
    public static Optional<Window> fromWire(String text) {
        for (Window w : values()) {
            if (w.wireName.equals(text)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }
}
