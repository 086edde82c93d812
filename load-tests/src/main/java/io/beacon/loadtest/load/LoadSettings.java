package io.beacon.loadtest.load;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link LoadGenerator} sends.
 *
 * @param baseUrl              the gateway, e.g. {@code http://127.0.0.1:8080}; must be loopback
 * @param writeKey             sent as the HTTP Basic user name (Segment SDK style)
 * @param concurrency          requests in flight at once (each on its own reused connection)
 * @param targetEventsPerSecond events per second to pace at; 0 = as fast as the server answers
 * @param maxEvents            stop after sending this many events
 * @param maxDuration          stop sending after this long, whatever was sent
 * @param requestTimeout       a request not answered within this counts as an error
 */
public record LoadSettings(URI baseUrl, String writeKey, int concurrency, double targetEventsPerSecond,
                           long maxEvents, Duration maxDuration, Duration requestTimeout) {

    public LoadSettings {
        LoopbackTarget.require(baseUrl);
        Objects.requireNonNull(writeKey, "writeKey");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be within 1..256: " + concurrency);
        }
        if (targetEventsPerSecond < 0) {
            throw new IllegalArgumentException("targetEventsPerSecond must be 0 (flat out) or positive");
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be positive: " + maxEvents);
        }
        if (maxDuration.isNegative() || maxDuration.isZero() || maxDuration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("maxDuration must be within (0, 1 h]: " + maxDuration);
        }
    }

    /** Flat out, 4 in flight, at most {@code maxEvents} or one minute. */
    public static LoadSettings flatOut(URI baseUrl, String writeKey, long maxEvents) {
        return new LoadSettings(baseUrl, writeKey, 4, 0, maxEvents, Duration.ofMinutes(1), Duration.ofSeconds(15));
    }

    public LoadSettings withConcurrency(int c) {
        return new LoadSettings(baseUrl, writeKey, c, targetEventsPerSecond, maxEvents, maxDuration, requestTimeout);
    }

    public LoadSettings withRate(double eventsPerSecond) {
        return new LoadSettings(baseUrl, writeKey, concurrency, eventsPerSecond, maxEvents, maxDuration, requestTimeout);
    }

    public LoadSettings withMaxDuration(Duration d) {
        return new LoadSettings(baseUrl, writeKey, concurrency, targetEventsPerSecond, maxEvents, d, requestTimeout);
    }

    public LoadSettings withMaxEvents(long n) {
        return new LoadSettings(baseUrl, writeKey, concurrency, targetEventsPerSecond, n, maxDuration, requestTimeout);
    }
}
