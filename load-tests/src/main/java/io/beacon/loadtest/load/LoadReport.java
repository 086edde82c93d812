package io.beacon.loadtest.load;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a load run achieved.
 *
 * @param requests        requests sent
 * @param eventsSent      events in those requests
 * @param eventsAccepted  events the gateway acknowledged ({@code "accepted"} of 200 answers)
 * @param eventsRejected  events of 200 answers the gateway refused individually
 * @param eventsFailed    events of requests that failed (non-200, timeout, connection error)
 * @param errors          failed requests by cause ({@code http-503}, {@code timeout}, {@code io}, …)
 * @param elapsed         from the first send to the last answer
 * @param latencyMicros   request latency (send to full answer), microseconds
 */
public record LoadReport(long requests, long eventsSent, long eventsAccepted, long eventsRejected, long eventsFailed,
                         SortedMap<String, Long> errors, Duration elapsed, Histogram latencyMicros) {

    public LoadReport {
        errors = new TreeMap<>(errors);
    }

    /** Acknowledged events per second over the whole run. */
    public double acceptedPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : eventsAccepted / s;
    }

    /** Request latency at {@code percentile} (0-100), milliseconds. */
    public double latencyMillis(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public long failedRequests() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%d requests, %d events sent, %d accepted (%.0f/s), %d rejected, %d failed %s in %.1f s; "
                        + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                requests, eventsSent, eventsAccepted, acceptedPerSecond(), eventsRejected, eventsFailed,
                errors.isEmpty() ? "" : errors, elapsed.toNanos() / 1e9,
                latencyMillis(50), latencyMillis(99), latencyMillis(100));
    }

    static SortedMap<String, Long> copy(Map<String, Long> m) {
        return new TreeMap<>(m);
    }
}
