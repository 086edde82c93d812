package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assignment API's exposure guarantee under a crash: the platform process is SIGKILLed while
 * 1,500 users are being assigned one request each, then started again; the client only repeats
 * requests it got no answer to, like an SDK. Every user that got an answer — before or after the
 * kill — must have exactly one exposure row for the variation it was served (none lost, none doubled).
 */
@ExtendWith(BeaconStackExtension.class)
class AbtestExposureCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(AbtestExposureCrashIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 1_500;

    @Test
    void shouldKeepEveryServedExposureOnceAcrossASigkill(TestStack stack) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PlatformFixture fx = new PlatformFixture(stack, "abcrash", port);
        String secret = "sk_" + fx.name + "_crash_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        Path log = Files.createTempFile("beacon-abcrash-", ".log");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Map<String, String> served = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService client = Executors.newSingleThreadExecutor();
        PlatformProcess second = null;
        try (ClickHouse ch = fx.clickhouse()) {
            PlatformProcess first = PlatformProcess.start(fx.settings, log);
            first.awaitReady(Duration.ofSeconds(90));
            ApiClient api = new ApiClient(first.httpUrl(), secret);
            assertEquals(201, api.post("/api/v1/experiments", "{\"key\":\"crash\",\"status\":\"running\","
                    + "\"variations\":[{\"key\":\"a\"},{\"key\":\"b\"},{\"key\":\"c\"}]}").status());
            awaitRunning(http, first.httpUrl(), secret);

            // Given users being assigned, each until it gets an answer (the port stays the same across the restart)
            Future<?> assigning = client.submit(() -> {
                for (int i = 0; i < USERS; i++) {
                    served.put("u" + i, assignUntilAnswered(http, first.httpUrl(), secret, "u" + i, retries));
                    pause(); // ~300 users/s: the kill lands mid-load
                }
                return null;
            });
            // When the process is SIGKILLed after a few hundred answers
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (served.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(10); // poll interval
            }
            int answeredAtKill = served.size();
            first.kill();
            LOG.info("SIGKILLed platform pid {} after {} answered users", first.pid(), answeredAtKill);
            assertTrue(answeredAtKill >= 300 && answeredAtKill < USERS, "killed mid-load: " + answeredAtKill);

            // and started again
            second = PlatformProcess.start(fx.settings, log);
            second.awaitReady(Duration.ofSeconds(90));
            assigning.get(240, TimeUnit.SECONDS);
            assertEquals(USERS, served.size());

            // Then experiment_exposures holds exactly one row per served user, with the variation served
            String table = "SELECT distinct_id, variation_key FROM experiment_exposures FINAL WHERE experiment_key = 'crash'";
            PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM (" + table + ")"), USERS,
                    Duration.ofSeconds(120));
            Map<String, String> stored = new TreeMap<>();
            for (var row : ch.query(table + " ORDER BY distinct_id").rows()) {
                assertEquals(null, stored.put(row.get(0), row.get(1)), "user " + row.get(0) + " has two rows\n" + second.tail());
            }
            assertEquals(new TreeMap<>(served), stored, "served variations vs stored exposures\n" + second.tail());
            // and the events table has one exposure event per user once duplicates (re-sends after the restart) collapse
            assertEquals(USERS, ch.queryLong("SELECT count() FROM events FINAL WHERE event_name = '$experiment_exposure'"));
            LOG.info("after restart: {} exposure rows, {} raw exposure events, {} client retries", stored.size(),
                    ch.queryLong("SELECT count() FROM events WHERE event_name = '$experiment_exposure'"), retries.get());
        } finally {
            client.shutdownNow();
            if (second != null) {
                second.close();
            }
        }
    }

    /** The variation served to {@code user}, repeating the request until it is answered 200. */
    private static String assignUntilAnswered(HttpClient http, String base, String secret, String user, AtomicInteger retries)
            throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/assignments?experiment=crash&user_id=" + user))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + secret).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode a = JSON.readTree(r.body()).at("/assignments/0");
                    assertTrue(a.get("in_experiment").asBoolean(), r.body());
                    return a.get("variation_key").asText();
                }
            } catch (IOException e) {
                // the process is down or restarting: try again
            }
            retries.incrementAndGet();
            Thread.sleep(50); // retry interval while the platform restarts
        }
        throw new AssertionError("no answer for " + user);
    }

    private static void awaitRunning(HttpClient http, String base, String secret) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/assignments?experiment=crash&user_id=probe&log_exposures=false"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + secret).GET().build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"crash\"")) {
                return;
            }
            Thread.sleep(20); // poll interval while the catalog reads the new experiment
        }
        throw new AssertionError("experiment not running");
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(3); // pacing of the client
    }
}
