package io.beacon.cdp.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local webhook receiver on 127.0.0.1 for the tests: records every request (headers, body, arrival time) and
 * answers what {@code behaviour} decides for it.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Call(String webhookId, String timestamp, String signature, byte[] body, JsonNode json, long atMs) {
        String person() {
            return json.path("data").path("person_id").asText();
        }
    }

    /** What to answer: a status, optional Retry-After, and a delay before answering. */
    record Answer(int status, String retryAfter, long delayMs) {
        static Answer ok() {
            return new Answer(200, null, 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Call> calls = new ArrayList<>();
    private final Function<Call, Answer> behaviour;

    Receiver(Function<Call, Answer> behaviour) {
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Call c = new Call(ex.getRequestHeaders().getFirst("webhook-id"), ex.getRequestHeaders().getFirst("webhook-timestamp"),
                ex.getRequestHeaders().getFirst("webhook-signature"), body, JSON.readTree(body), System.currentTimeMillis());
        synchronized (calls) {
            calls.add(c);
        }
        Answer a = behaviour.apply(c);
        if (a.delayMs() > 0) {
            try {
                Thread.sleep(a.delayMs()); // the receiver under test is slow on purpose
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (a.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        byte[] out = ("{\"status\":" + a.status() + "}").getBytes(StandardCharsets.UTF_8);
        try {
            ex.sendResponseHeaders(a.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        }
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
