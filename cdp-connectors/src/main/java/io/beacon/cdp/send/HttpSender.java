package io.beacon.cdp.send;

import io.beacon.cdp.signing.WebhookSigner;
import io.beacon.control.destinations.DestinationAddresses;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.OutboxMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * The outbound HTTP adapter: a {@code POST} of the message's body ({@link RequestBodies}) with the Standard Webhooks
 * headers ({@code webhook-id} = the message id, {@code webhook-timestamp}, {@code webhook-signature} by every secret
 * of the destination) and the destination's own headers. The JDK's HTTP client, asynchronous, so one slow receiver
 * holds only its own requests; redirects are not followed (a redirect could lead to a refused address). The
 * destination's host is resolved and checked by {@link DestinationAddresses} before every attempt, off the caller's
 * thread, so a DNS change after the definition was accepted cannot point Beacon at a private address.
 */
public final class HttpSender implements Sender, AutoCloseable {
    private final HttpClient client;
    private final Duration timeout;
    private final DestinationAddresses addresses;
    private final ExecutorService executor;
    private final LongSupplier clock;

    public HttpSender(Duration timeout, DestinationAddresses addresses, LongSupplier clock) {
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cdp-http");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
        this.timeout = timeout;
        this.addresses = addresses;
        this.clock = clock;
    }

    @Override
    public CompletionStage<SendResult> send(DestinationDefinition d, OutboxMessage m, int attempt) {
        long started = clock.getAsLong();
        URI uri = URI.create(d.url());
        // rendering, signing and the address check run on the sender's threads, not on the caller's (the worker's
        // poll loop, which must stay free to dispatch)
        return CompletableFuture.supplyAsync(() -> prepare(d, m, uri), executor).thenCompose(prepared -> {
            if (prepared.refusal != null) {
                return CompletableFuture.completedFuture(prepared.refusal.withLatency(clock.getAsLong() - started));
            }
            return client.sendAsync(prepared.request, HttpResponse.BodyHandlers.ofInputStream())
                    .thenApply(r -> SendResult.response(r.statusCode(), r.headers().firstValue("retry-after").orElse(null),
                            readSome(r.body()), clock.getAsLong() - started));
        }).exceptionally(e -> failure(e, clock.getAsLong() - started));
    }

    private record Prepared(HttpRequest request, SendResult refusal) {
    }

    private Prepared prepare(DestinationDefinition d, OutboxMessage m, URI uri) {
        byte[] body;
        try {
            body = RequestBodies.of(d, m);
        } catch (RuntimeException e) {
            return new Prepared(null, SendResult.failed(SendResult.Failure.RENDER_FAILED, e.getMessage(), 0));
        }
        DestinationAddresses.AddressCheck check = addresses.check(uri.getHost());
        if (check.refusal().isPresent()) {
            return new Prepared(null, SendResult.failed(SendResult.Failure.BLOCKED_ADDRESS, check.refusal().get(), 0));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "Beacon-Connectors/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, String> h : d.headers().entrySet()) {
            request.header(h.getKey(), h.getValue());
        }
        long timestamp = clock.getAsLong() / 1000;
        for (Map.Entry<String, String> h : new WebhookSigner(d.secrets()).headers(m.messageId(), timestamp, body).entrySet()) {
            request.header(h.getKey(), h.getValue());
        }
        return new Prepared(request.build(), null);
    }

    // at most MAX_RESPONSE_BODY characters of the body are kept; the rest is not read
    private static String readSome(InputStream in) {
        try (in) {
            byte[] b = in.readNBytes(CdpCodec.MAX_RESPONSE_BODY);
            return b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static SendResult failure(Throwable e, long latencyMs) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return SendResult.failed(SendResult.Failure.TIMEOUT, "no response within the request timeout", latencyMs);
        }
        if (cause instanceof ConnectException) {
            return SendResult.failed(SendResult.Failure.CONNECT_FAILED, "connection failed", latencyMs);
        }
        String what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return SendResult.failed(SendResult.Failure.CONNECT_FAILED, what, latencyMs);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
