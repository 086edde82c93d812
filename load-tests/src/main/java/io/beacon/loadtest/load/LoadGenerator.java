package io.beacon.loadtest.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;

/**
 * Sends request bodies from a {@link BatchSource} to the gateway's {@code /v1/batch} like a fleet of
 * Segment SDKs: HTTP/1.1 with connection reuse ({@link HttpClient} keeps one connection per request
 * in flight), up to {@link LoadSettings#concurrency()} requests in flight, paced to a target rate or
 * flat out, and bounded by event count and time. Latency is recorded per request in an HdrHistogram.
 *
 * <p>Pacing follows a fixed schedule from the start (batch <i>k</i> is due when <i>k</i> batches'
 * events at the target rate have elapsed), so a stall is followed by catching up rather than by a
 * permanently lower rate.
 */
public final class LoadGenerator {
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final LoadSettings settings;
    private final URI endpoint;
    private final String authorization;

    public LoadGenerator(LoadSettings settings) {
        this.settings = settings;
        this.endpoint = LoopbackTarget.require(settings.baseUrl()).resolve(SegmentBatches.PATH);
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((settings.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends until the source is exhausted, {@code maxEvents} are sent or {@code maxDuration} passed; waits for the answers. */
    public LoadReport run(BatchSource source) {
        ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "load-generator-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(callbacks)
                .build();
        Semaphore inFlight = new Semaphore(settings.concurrency());
        Recorder latency = new Recorder(3);
        LongAdder accepted = new LongAdder();
        LongAdder rejected = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicLong lastAnswer = new AtomicLong();

        long start = System.nanoTime();
        long deadline = start + settings.maxDuration().toNanos();
        long requests = 0;
        long sent = 0;
        double nanosPerEvent = settings.targetEventsPerSecond() > 0 ? 1e9 / settings.targetEventsPerSecond() : 0;
        try {
            while (sent < settings.maxEvents() && System.nanoTime() < deadline) {
                Batch batch = source.next();
                if (batch == null || sent + batch.events() > settings.maxEvents()) {
                    break;
                }
                if (nanosPerEvent > 0) {
                    long due = start + (long) (sent * nanosPerEvent);
                    if (due >= deadline) {
                        break;
                    }
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
                HttpRequest request = HttpRequest.newBuilder(endpoint)
                        .timeout(settings.requestTimeout())
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                        .build();
                int events = batch.events();
                long sentAt = System.nanoTime();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    long now = System.nanoTime();
                    latency.recordValue(Math.max(1, (now - sentAt) / 1000));
                    lastAnswer.accumulateAndGet(now, Math::max);
                    if (error != null) {
                        failed.add(events);
                        errors.computeIfAbsent(cause(error), k -> new LongAdder()).increment();
                    } else if (response.statusCode() == 200) {
                        int ok = acceptedCount(response.body(), events);
                        accepted.add(ok);
                        rejected.add(events - ok);
                    } else {
                        failed.add(events);
                        errors.computeIfAbsent("http-" + response.statusCode(), k -> new LongAdder()).increment();
                    }
                    inFlight.release();
                });
                requests++;
                sent += events;
            }
            // wait for the answers still outstanding (each is bounded by the request timeout)
            if (!inFlight.tryAcquire(settings.concurrency(), settings.requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                errors.computeIfAbsent("unanswered-at-end", k -> new LongAdder()).increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            callbacks.shutdownNow();
        }
        long end = Math.max(lastAnswer.get(), start + 1);
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        return new LoadReport(requests, sent, accepted.sum(), rejected.sum(), failed.sum(),
                LoadReport.copy(errorCounts), Duration.ofNanos(end - start), latency.getIntervalHistogram());
    }

    /** The {@code "accepted"} count of a batch answer; a plain {@code {"success":true}} means all. */
    static int acceptedCount(String body, int events) {
        Matcher m = ACCEPTED.matcher(body == null ? "" : body);
        return m.find() ? Math.min(events, Integer.parseInt(m.group(1))) : events;
    }

    private static String cause(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof IOException) {
            return "io";
        }
        return e.getClass().getSimpleName();
    }
}
