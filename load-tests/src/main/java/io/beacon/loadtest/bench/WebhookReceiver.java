package io.beacon.loadtest.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.cdp.signing.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cdp phase's webhook receiver: a JDK {@link HttpServer} on 127.0.0.1 that reads each request, answers 200 at
 * once with no body, and records the request's {@code webhook-id} and arrival time in the {@link WebhookArrivals}
 * currently tracked. The connectors and the baseline client post to the same instance, so both pay the same
 * receiver cost.
 */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();
    private volatile WebhookArrivals arrivals = new WebhookArrivals();

    WebhookReceiver(int threads) {
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** From now on arrivals are recorded in {@code a}. */
    void track(WebhookArrivals a) {
        arrivals = a;
    }

    long requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            long at = System.currentTimeMillis();
            requests.incrementAndGet();
            arrivals.arrived(ex.getRequestHeaders().getFirst(WebhookSigner.ID_HEADER), at);
            ex.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
