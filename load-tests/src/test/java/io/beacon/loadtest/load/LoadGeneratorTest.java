package io.beacon.loadtest.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.SimulatorSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator against a JDK HTTP server on loopback that plays the gateway. */
class LoadGeneratorTest {
    private HttpServer server;
    private final Set<Integer> clientPorts = Collections.synchronizedSet(new HashSet<>());
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts a fake gateway answering {@code status} with {@code accepted = acceptedOf(eventsInBody)}. */
    private URI fakeGateway(int status, ToIntFunction<Integer> acceptedOf) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(SegmentBatches.PATH, (HttpExchange ex) -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            clientPorts.add(ex.getRemoteAddress().getPort());
            int events = body.split("\"messageId\"", -1).length - 1;
            String answer = status == 200
                    ? "{\"success\":true,\"accepted\":" + acceptedOf.applyAsInt(events) + ",\"rejected\":[]}"
                    : "{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"down\"}}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static List<String> items(int n) {
        return new BehaviourSimulator(SimulatorSettings.of(3, 200)).events().limit(n).map(e -> e.json()).toList();
    }

    @Test
    void shouldRefuseTargetsThatAreNotLoopback() {
        for (String url : List.of("http://10.0.0.1:8080", "http://192.168.1.10", "http://8.8.8.8:80",
                "http://172.16.0.5", "https://127.0.0.1:8080", "ftp://127.0.0.1")) {
            assertThrows(IllegalArgumentException.class, () -> LoopbackTarget.require(URI.create(url)), url);
        }
        for (String url : List.of("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "http://127.1.2.3")) {
            assertEquals(URI.create(url), LoopbackTarget.require(URI.create(url)));
        }
        assertThrows(IllegalArgumentException.class,
                () -> LoadSettings.flatOut(URI.create("http://10.1.1.1:80"), "wk", 10));
    }

    @Test
    void shouldSendEveryEventOfTheSourceAndCountAcceptedAndRejected() throws Exception {
        // Given a gateway that refuses one event of every batch
        URI url = fakeGateway(200, n -> n - 1);
        List<String> items = items(1_000);
        // When the whole source is sent in batches of 100
        LoadReport report = new LoadGenerator(LoadSettings.flatOut(url, "wk", 10_000))
                .run(SegmentBatches.from(new BehaviourSimulator(SimulatorSettings.of(3, 200)).events().limit(1_000).iterator(), 100));
        // Then
        assertEquals(10, report.requests());
        assertEquals(items.size(), report.eventsSent());
        assertEquals(990, report.eventsAccepted());
        assertEquals(10, report.eventsRejected());
        assertEquals(0, report.eventsFailed());
        assertEquals(10, report.latencyMicros().getTotalCount());
    }

    @Test
    void shouldStopAtTheEventBound() throws Exception {
        URI url = fakeGateway(200, n -> n);
        LoadReport report = new LoadGenerator(LoadSettings.flatOut(url, "wk", 1_050))
                .run(SegmentBatches.cycling(items(500), 100));
        assertEquals(1_000, report.eventsSent(), "never more than the bound, whole batches only");
        assertEquals(10, requests.get());
    }

    @Test
    void shouldStopAtTheTimeBoundWhenPaced() throws Exception {
        URI url = fakeGateway(200, n -> n);
        // 100 events/s in batches of 10 for 300 ms: a few batches of a never-ending source, not all of them
        LoadSettings settings = LoadSettings.flatOut(url, "wk", 1_000_000).withRate(100).withMaxDuration(Duration.ofMillis(300));
        LoadReport report = new LoadGenerator(settings).run(SegmentBatches.cycling(items(100), 10));
        assertTrue(report.requests() >= 1 && report.eventsSent() <= 40, report.toString());
        assertEquals(report.eventsSent(), report.eventsAccepted());
    }

    @Test
    void shouldCountFailedRequestsByStatus() throws Exception {
        URI url = fakeGateway(503, n -> 0);
        LoadReport report = new LoadGenerator(LoadSettings.flatOut(url, "wk", 500)).run(SegmentBatches.cycling(items(500), 100));
        assertEquals(500, report.eventsFailed());
        assertEquals(0, report.eventsAccepted());
        assertEquals(5L, report.errors().get("http-503"));
    }

    @Test
    void shouldReuseConnectionsAcrossRequests() throws Exception {
        URI url = fakeGateway(200, n -> n);
        LoadReport report = new LoadGenerator(LoadSettings.flatOut(url, "wk", 5_000).withConcurrency(2))
                .run(SegmentBatches.cycling(items(500), 50));
        assertEquals(100, report.requests());
        assertTrue(clientPorts.size() <= 2, "at most one connection per request in flight, got " + clientPorts.size());
    }

    @Test
    void shouldReadTheAcceptedCountOfABatchAnswer() {
        assertEquals(7, LoadGenerator.acceptedCount("{\"success\":false,\"accepted\":7,\"rejected\":[]}", 10));
        assertEquals(10, LoadGenerator.acceptedCount("{\"success\":true}", 10));
    }
}
