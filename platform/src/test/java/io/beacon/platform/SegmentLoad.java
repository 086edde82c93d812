package io.beacon.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * A test client that behaves like a Segment SDK: sends batches to {@code /v1/batch} with the write
 * key as Basic-auth user, and re-sends a batch (same message ids) until it gets a 200 or a deadline
 * passes — which is exactly what makes "nothing lost, nothing doubled" depend on Beacon's dedup.
 */
final class SegmentLoad {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<String> baseUrl;
    private final String authHeader;
    int retries;

    /** @param baseUrl read on every attempt, so a restarted server on a new port is found */
    SegmentLoad(Supplier<String> baseUrl, String writeKey) {
        this.baseUrl = baseUrl;
        this.authHeader = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** A track item with a fixed message id, user and event time derived from {@code n}. */
    static String trackItem(String messageId, int n) {
        return "{\"type\":\"track\",\"event\":\"load_" + (n % 7) + "\",\"userId\":\"user-" + (n % 997)
                + "\",\"messageId\":\"" + messageId + "\",\"timestamp\":\"2026-11-" + (10 + n % 15) + "T10:00:00Z\","
                + "\"properties\":{\"n\":" + n + ",\"plan\":\"p" + (n % 3) + "\"}}";
    }

    static String batch(List<String> items) {
        return "{\"batch\":[" + String.join(",", items) + "],\"sentAt\":\"" + Instant.now() + "\"}";
    }

    /** Posts one body; the HTTP status, or -1 when the connection failed. */
    int post(String path, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", authHeader)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Posts a batch until it is answered 200, polling with a pause between attempts. */
    void sendUntilAccepted(String body, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            int status = post("/v1/batch", body);
            if (status == 200) {
                return;
            }
            if (status >= 400 && status < 500) {
                throw new AssertionError("batch refused with " + status);
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("batch not accepted before the deadline; last status " + status);
            }
            retries++;
            try {
                Thread.sleep(200); // back-off between SDK retries, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** {@code count} distinct items with ids {@code prefix-0 … prefix-(count-1)}, in batches. */
    static List<List<String>> batches(String prefix, int count, int batchSize) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cur.add(trackItem(prefix + "-" + i, i));
            if (cur.size() == batchSize) {
                out.add(cur);
                cur = new ArrayList<>();
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }
}
