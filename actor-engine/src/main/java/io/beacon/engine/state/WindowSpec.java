package io.beacon.engine.state;

import io.beacon.control.audience.Window;

/**
 * The bucketing of rolling windows, exact at bucket granularity (docs/audiences.md, "Windows"); the sizes and
 * counts are {@link Window}'s, which cohorts compile into SQL too.
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
 * Buckets are aligned on the epoch (so days are UTC days): the bucket of an instant {@code t} is
 * {@code floor(t / size)}. An event at {@code e} is in window {@code W} at time {@code now} iff
 * {@code bucket(e) ≥ bucket(now) − (n − 1)}, i.e. its bucket start is at or after
 * {@code bucketStart(now) − (W − size)}. The window therefore covers the current, partial bucket and
 * the {@code n − 1} full buckets before it (between {@code W − size} and {@code W} of history), and an
 * event leaves it exactly at {@code (bucket(e) + n) · size}. Events dated after {@code now} (client
 * clocks) count from the moment they arrive.
 */
public final class WindowSpec {
    public static final long MINUTE_MS = 60_000L;
    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 86_400_000L;

    private WindowSpec() {
    }

    /** The bucket length of {@code w} in ms ({@link Long#MAX_VALUE} for {@code ALL}). */
    public static long bucketSizeMs(Window w) {
        return w.bucketMs();
    }

    /** How many buckets {@code w} spans ({@code 0} for {@code ALL}). */
    public static int bucketCount(Window w) {
        return w.buckets();
    }

    /** The index of the {@code sizeMs} bucket holding {@code t}. */
    public static long bucket(long t, long sizeMs) {
        return Math.floorDiv(t, sizeMs);
    }

    /** The start of the {@code sizeMs} bucket holding {@code t}. */
    public static long bucketStart(long t, long sizeMs) {
        return Math.floorDiv(t, sizeMs) * sizeMs;
    }

    /** The oldest bucket index still inside {@code w} at {@code nowMs}. */
    public static long oldestBucket(Window w, long nowMs) {
        return bucket(nowMs, bucketSizeMs(w)) - (bucketCount(w) - 1);
    }

    /** Whether an event at {@code eventMs} counts in window {@code w} at {@code nowMs} (the reference rule). */
    public static boolean includes(Window w, long eventMs, long nowMs) {
        if (w == Window.ALL) {
            return true;
        }
        return bucket(eventMs, bucketSizeMs(w)) >= oldestBucket(w, nowMs);
    }

    /** The instant an event at {@code eventMs} leaves {@code w} ({@link Long#MAX_VALUE} for {@code ALL}). */
    public static long expiresAt(Window w, long eventMs) {
        if (w == Window.ALL) {
            return Long.MAX_VALUE;
        }
        long size = bucketSizeMs(w);
        return (bucket(eventMs, size) + bucketCount(w)) * size;
    }
}
