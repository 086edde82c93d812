package io.beacon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.gateway.runtime.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A real pekko-http server on 127.0.0.1:0 serving a route, and a {@link HttpClient} to call it.
 * One per test class.
 */
final class GatewayHarness implements AutoCloseable {
    static final String WRITE_KEY = "wk_live_5f2a9c";
    static final String PROJECT = "proj_shop";
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** What the test client got back. */
    record Reply(int status, JsonNode json, HttpHeaders headers) {
        String errorCode() {
            return json.path("error").path("code").asText(null);
        }
    }

    private final ActorSystem system;
    private final ServerBinding binding;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    private GatewayHarness(Route route) throws Exception {
        system = ActorSystem.create("gateway-test");
        // As the platform must: client IPs need the remote-address attribute.
        binding = Http.get(system).newServerAt("127.0.0.1", 0)
                .adaptSettings(s -> s.withRemoteAddressAttribute(true))
                .bind(route).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + binding.localAddress().getPort());
    }

    static GatewayHarness serve(Route route) throws Exception {
        return new GatewayHarness(route);
    }

    /** A gateway knowing one write key ({@link #WRITE_KEY} → {@link #PROJECT}) with a fixed clock. */
    static GatewayHarness serve(GatewaySettings settings, EventLog log) throws Exception {
        return serve(new Gateway(settings, StaticWriteKeys.of(WRITE_KEY, PROJECT), log, CLOCK).route());
    }

    static GatewaySettings defaultSettings() {
        return GatewaySettings.load();
    }

    /** The HTTP Basic header Segment SDKs send: the write key as user name, empty password. */
    static String basicAuth(String writeKey) {
        return "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    /** POST JSON authenticated the way Segment SDKs do. */
    Reply post(String path, JsonNode body) {
        return post(path, EventCodec.encode(body), "Authorization", basicAuth(WRITE_KEY));
    }

    /** POST raw bytes with the given header name/value pairs (no authentication added). */
    Reply post(String path, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    Reply send(HttpRequest.Builder request, String... headers) {
        request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), EventCodec.mapper().readTree(response.body()), response.headers());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
