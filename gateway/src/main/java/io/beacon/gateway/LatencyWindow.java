package io.beacon.gateway;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One latency series of {@link GatewayMetrics}: a count and a sum since start, and quantiles over a sliding window
 * of one to two window lengths, kept as two HdrHistograms (the current window and the one before), the way
 * Prometheus client summaries age their quantiles. Recording is wait-free ({@link ConcurrentHistogram}) and
 * allocates nothing except a fresh histogram once a window.
 */
final class LatencyWindow {
    /** Two significant digits: quantiles within 1 %. */
    private static final int DIGITS = 2;

    private final long highest;
    private final long windowNanos;
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private volatile Histogram current = new ConcurrentHistogram(DIGITS);
    private volatile Histogram previous = new ConcurrentHistogram(DIGITS);
    private volatile long rotateAt;

    /**
     * @param highest     values above it count as it (bounds the histograms' size)
     * @param windowNanos the window length
     * @param nowNanos    the start of the first window ({@link System#nanoTime()} scale)
     */
    LatencyWindow(long highest, long windowNanos, long nowNanos) {
        this.highest = highest;
        this.windowNanos = windowNanos;
        this.rotateAt = nowNanos + windowNanos;
    }

    /** Records {@code times} occurrences of {@code value}; negative values count as 0. */
    void record(long value, long times, long nowNanos) {
        long v = Math.max(0, Math.min(value, highest));
        if (nowNanos - rotateAt >= 0) {
            rotate(nowNanos);
        }
        current.recordValueWithCount(v, times);
        count.add(times);
        sum.add(v * times);
    }

    private synchronized void rotate(long nowNanos) {
        if (nowNanos - rotateAt < 0) {
            return; // another thread rotated
        }
        // a whole window without any record: the previous window is empty too
        previous = nowNanos - rotateAt >= windowNanos ? new ConcurrentHistogram(DIGITS) : current;
        current = new ConcurrentHistogram(DIGITS);
        rotateAt = nowNanos + windowNanos;
    }

    /** Count and sum since start; quantiles of the last one to two windows ({@code NaN} when they hold nothing). */
    Snapshot snapshot(double[] quantiles, long nowNanos) {
        if (nowNanos - rotateAt >= 0) {
            rotate(nowNanos);
        }
        Histogram merged = new Histogram(DIGITS);
        merged.add(previous);
        merged.add(current);
        double[] values = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            values[i] = merged.getTotalCount() == 0 ? Double.NaN : merged.getValueAtPercentile(quantiles[i] * 100);
        }
        return new Snapshot(count.sum(), sum.sum(), values);
    }

    /** @param values the value at each requested quantile, in recorded units */
    record Snapshot(long count, long sum, double[] values) {
    }
}
