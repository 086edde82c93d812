package io.beacon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.gateway.internal.posthog.RecordedRequest;
import io.beacon.gateway.runtime.Gateway;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A gateway serving the PostHog routes with the recorded run's token ({@link RecordedRequest#TOKEN}),
 * and a client that replays fixtures byte for byte, with the browser's headers.
 */
final class PostHogClient implements AutoCloseable {
    static final String BROWSER_ORIGIN = "http://127.0.0.1:18765";

    /** What came back; {@code json} is null for an empty body. */
    record Reply(int status, JsonNode json, HttpHeaders headers) {
        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }
    }

    final RecordingEventLog log = new RecordingEventLog();
    private final GatewayHarness harness;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    PostHogClient() throws Exception {
        this(GatewayHarness.defaultSettings());
    }

    PostHogClient(GatewaySettings settings) throws Exception {
        this(settings, FeatureFlags.none());
    }

    /** A gateway answering /flags and /decide from {@code flags}. */
    PostHogClient(GatewaySettings settings, FeatureFlags flags) throws Exception {
        harness = GatewayHarness.serve(new Gateway(settings, StaticWriteKeys.of(RecordedRequest.TOKEN, GatewayHarness.PROJECT), log,
                GatewayHarness.CLOCK, flags).route());
    }

    /** Replays a fixture as the browser sent it (method, URL, content type, body, Origin). */
    Reply replay(RecordedRequest r) {
        return replay(r, r.url());
    }

    Reply replay(RecordedRequest r, String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(harness.uri(url)).timeout(Duration.ofSeconds(30))
                .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        if (!java.util.Arrays.asList(headers).contains("Origin")) {
            b.header("Origin", BROWSER_ORIGIN);
        }
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), json(response.body()), response.headers());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The body as JSON; null when empty or not JSON (pekko's own plain-text answers, e.g. 414). */
    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return EventCodec.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    URI uri(String path) {
        return harness.uri(path);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
