package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data quality under injected faults, on real Kafka and ClickHouse in a platform child process (all roles), with
 * one-minute windows: in window 1 the gateway refuses 4 items, a blocked event is dead-lettered 7 times, 20 events are
 * sent twice, the sink's test hook drops 10 events and holds a batch for 10 s, and the platform is SIGKILLed right
 * after and started again (collector, sink and topology restart mid-way). Every counter, the loss rate, the
 * reconciliation and the alerts of window 1 must come out exactly; window 2, clean, must show no loss and raise
 * nothing.
 */
@ExtendWith(BeaconStackExtension.class)
class DataQualityIT {
    private static final Logger LOG = LoggerFactory.getLogger(DataQualityIT.class);
    private static final long WINDOW = 60_000L;
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @Test
    void shouldCountEveryStageAndReportLossReconciliationAndAlertsExactlyUnderInjectedFaults(TestStack stack) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PlatformFixture fx = new PlatformFixture(stack, "dqfaults", port);
        String secret = "sk_" + fx.name + "_dq_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        fx.settings.put("beacon.dq.window", "1m");
        fx.settings.put("beacon.dq.grace", "5s");
        fx.settings.put("beacon.dq.check-interval", "1s");
        fx.settings.put("beacon.dq.lookback", "10m");
        fx.settings.put("beacon.sink.fault-injection.drop-prefix", "drop-");
        fx.settings.put("beacon.sink.fault-injection.delay-prefix", "late-");
        fx.settings.put("beacon.sink.fault-injection.delay", "10s");
        Path log = Files.createTempFile("beacon-dqfaults-", ".log");
        PlatformProcess first = PlatformProcess.start(fx.settings, log);
        PlatformProcess second = null;
        try {
            first.awaitReady(Duration.ofSeconds(120));
            ApiClient api = new ApiClient(first.httpUrl(), secret);
            ApiClient.Response blocked = api.post("/api/v1/metadata/events", "{\"name\":\"spam\",\"status\":\"blocked\"}");
            assertEquals(201, blocked.status(), blocked.text());
            SegmentLoad load = new SegmentLoad(first::httpUrl, fx.writeKey);

            // Given window 1, with faults: everything is sent within its first 25 seconds
            long w1 = nextWindowWithRoom(0);
            List<String> a = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                a.add(track("m-" + i, "buy", "u-" + i));
            }
            for (int i = 0; i < 4; i++) {
                a.add("{\"type\":\"track\",\"userId\":\"u-bad\",\"messageId\":\"bad-" + i + "\"}"); // no event name: refused
            }
            List<String> b = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                b.add(track("drop-" + i, "buy", "u-drop-" + i));
            }
            for (int i = 0; i < 5; i++) {
                b.add(track("late-" + i, "buy", "u-late-" + i));
            }
            for (int i = 0; i < 7; i++) {
                b.add(track("spam-" + i, "spam", "u-spam"));
            }
            List<String> c = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                c.add(track("m-" + i, "buy", "u-" + i)); // the same ids again
            }
            assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(a)));
            assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(b)));
            assertEquals(200, load.post("/v1/batch", SegmentLoad.batch(c)));
            assertTrue(System.currentTimeMillis() < w1 + WINDOW - 20_000, "window 1's events were sent in time");

            // When the platform is SIGKILLed while the sink holds its late batch and the collector has counted part
            first.kill();
            second = PlatformProcess.start(fx.settings, log);
            second.awaitReady(Duration.ofSeconds(120));
            ApiClient api2 = new ApiClient(second.httpUrl(), secret);
            SegmentLoad load2 = new SegmentLoad(second::httpUrl, fx.writeKey);

            // and window 2 is clean: 50 events
            long w2 = nextWindowWithRoom(w1 + WINDOW);
            assertEquals(w1 + WINDOW, w2, "window 2 follows window 1");
            List<String> clean = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                clean.add(track("c-" + i, "view", "u-" + i));
            }
            assertEquals(200, load2.post("/v1/batch", SegmentLoad.batch(clean)));

            // Then window 1's counters, loss and reconciliation are exact
            JsonNode loss1 = awaitComplete(api2, w1);
            assertEquals(142, loss1.path("accepted").asLong(), loss1.toString()); // 100 + 10 + 5 + 7 + 20 copies
            assertEquals(4, loss1.path("rejected").asLong(), loss1.toString());
            assertEquals(7, loss1.path("dead_lettered").asLong(), loss1.toString());
            assertEquals(20, loss1.path("duplicates").asLong(), loss1.toString());
            assertEquals(115, loss1.path("written").asLong(), loss1.toString());
            assertEquals(105, loss1.path("stored").asLong(), loss1.toString()); // the 10 dropped are missing; the late 5 are there
            assertEquals(10, loss1.path("lost").asLong(), loss1.toString());
            assertEquals(10.0 / 142, loss1.path("rate").asDouble(), 1e-9);
            assertTrue(loss1.path("alert").asBoolean());
            JsonNode counts = api2.get("/api/v1/dq/counts?from=" + Instant.ofEpochMilli(w1) + "&to=" + Instant.ofEpochMilli(w1 + WINDOW)
                    + "&granularity=minute").body();
            assertEquals(142, counts.path("totals").path("accepted").asLong(), counts.toString());
            assertTrue(counts.path("rows").toString().contains("\"stage\":\"dead_lettered\",\"code\":\"BLOCKED_EVENT\",\"event_name\":\"spam\",\"count\":7"),
                    counts.toString());
            assertTrue(counts.path("rows").toString().contains("\"stage\":\"gateway_rejected\",\"code\":\"MISSING_EVENT_NAME\""), counts.toString());

            ApiClient.Response rec = api2.post("/api/v1/dq/reconcile", "{\"window\":\"" + Instant.ofEpochMilli(w1) + "\"}");
            assertEquals(200, rec.status(), rec.text());
            JsonNode r = rec.body();
            assertEquals(142, r.path("accepted_records").asLong(), r.toString());
            assertEquals(122, r.path("accepted_ids").asLong(), r.toString());
            assertEquals(20, r.path("duplicate_copies").asLong(), r.toString());
            assertEquals(7, r.path("dead_lettered").asLong(), r.toString());
            assertEquals(105, r.path("stored").asLong(), r.toString());
            assertEquals(10, r.path("missing").asLong(), r.toString());
            Set<String> sample = new TreeSet<>();
            r.path("missing_sample").forEach(n -> sample.add(n.asText()));
            Set<String> dropped = new TreeSet<>();
            for (int i = 0; i < 10; i++) {
                dropped.add("drop-" + i);
            }
            assertEquals(dropped, sample);
            assertEquals(0, r.path("unexpected").asLong(), r.toString());
            assertEquals(142, r.path("accuracy").path("counter_records").asLong(), "the collector counted each record once across the kill");
            assertEquals(0.0, r.path("accuracy").path("counter_diff").asDouble());
            assertTrue(r.path("alert").asBoolean());
            // the same through the command line's client (./beacon dq reconcile --hour … --project …)
            String project = fx.settings.get("beacon.bootstrap-project.id");
            String url2 = second.httpUrl();
            JsonNode cli = DqCommand.parse(new String[] {"reconcile", "--hour", Instant.ofEpochMilli(w1).toString(), "--project", project})
                    .run(HttpClient.newHttpClient(), second.httpUrl(), secret);
            assertEquals(10, cli.path("missing").asLong(), cli.toString());
            assertEquals(project, cli.path("project_id").asText());
            IllegalStateException other = assertThrows(IllegalStateException.class, () -> DqCommand.parse(new String[] {"reconcile",
                    "--hour", Instant.ofEpochMilli(w1).toString(), "--project", "someone-else"}).run(HttpClient.newHttpClient(), url2, secret));
            assertEquals("the secret key is of project '" + project + "', not 'someone-else'", other.getMessage());
            ApiClient.Response notAStart = api2.post("/api/v1/dq/reconcile", "{\"window\":\"" + Instant.ofEpochMilli(w1 + 1_000) + "\"}");
            assertEquals(400, notAStart.status(), notAStart.text());
            assertEquals("window", notAStart.body().path("error").path("field").asText(), notAStart.text());

            // and window 2, clean, shows no loss
            JsonNode loss2 = awaitComplete(api2, w2);
            assertEquals(50, loss2.path("accepted").asLong(), loss2.toString());
            assertEquals(50, loss2.path("stored").asLong(), loss2.toString());
            assertEquals(0, loss2.path("lost").asLong(), loss2.toString());
            assertEquals(0.0, loss2.path("rate").asDouble());
            assertTrue(!loss2.path("alert").asBoolean());
            JsonNode r2 = api2.post("/api/v1/dq/reconcile", "{\"window\":\"" + Instant.ofEpochMilli(w2) + "\"}").body();
            assertEquals(0, r2.path("missing").asLong(), r2.toString());
            assertEquals(0.0, r2.path("accuracy").path("counter_diff").asDouble(), r2.toString());
            assertEquals(0.0, r2.path("accuracy").path("users_diff").asDouble(), r2.toString());
            assertTrue(!r2.path("alert").asBoolean(), r2.toString());

            // and the alerts are window 1's loss and accuracy, each once (raised before and after the restart), none for window 2
            String from = Instant.ofEpochMilli(w1 - WINDOW).toString();
            await("window 1's two alerts stored", () -> alertKinds(api2, from, w1).equals(List.of("accuracy", "loss")));
            await("the checker judged window 2", () -> {
                JsonNode l = api2.get("/api/v1/dq/loss?from=" + Instant.ofEpochMilli(w2) + "&to=" + Instant.ofEpochMilli(w2 + WINDOW)).body();
                return l.path("windows").size() == 1 && l.path("windows").get(0).path("complete").asBoolean();
            });
            JsonNode alerts = api2.get("/api/v1/dq/alerts?from=" + from).body().path("alerts");
            assertEquals(2, alerts.size(), alerts.toString());
            for (JsonNode al : alerts) {
                assertEquals(Instant.ofEpochMilli(w1).toString(), al.path("window_start").asText(), al.toString());
                assertEquals("critical", al.path("severity").asText(), al.toString());
            }
            // and /metrics (Prometheus text) carries the stage counters of this process, the restarted one
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url2 + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, PrometheusText.Family> families = PrometheusText.parse(text);
            double written = families.get("beacon_dq_counted_total").samples().stream()
                    .filter(x -> project.equals(x.labels().get("project")) && "written".equals(x.labels().get("stage")))
                    .mapToDouble(PrometheusText.Sample::value).sum();
            assertTrue(written >= 50, "the restarted collector counted at least window 2's 50 written events: " + written);
            assertTrue(families.containsKey("beacon_dq_valid_latency_seconds"), families.keySet().toString());
            LOG.info("data quality under faults: window 1 {} ; reconciliation {} ; alerts {}", loss1, r, alerts);
        } finally {
            if (second != null) {
                second.kill();
            }
            first.kill();
        }
    }

    private static String track(String id, String event, String user) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"" + user + "\",\"messageId\":\"" + id
                + "\",\"timestamp\":\"" + Instant.now() + "\"}";
    }

    /** The start of the first window from {@code notBefore} once at most 15 s of it have passed (polls the clock). */
    private static long nextWindowWithRoom(long notBefore) {
        await("a window with room", () -> System.currentTimeMillis() >= notBefore && System.currentTimeMillis() % WINDOW < 15_000);
        return System.currentTimeMillis() / WINDOW * WINDOW;
    }

    private static JsonNode awaitComplete(ApiClient api, long window) {
        JsonNode[] out = new JsonNode[1];
        await("window " + Instant.ofEpochMilli(window) + " complete", () -> {
            JsonNode l = api.get("/api/v1/dq/loss?from=" + Instant.ofEpochMilli(window) + "&to=" + Instant.ofEpochMilli(window + WINDOW)).body();
            if (l.path("windows").size() == 1 && l.path("windows").get(0).path("complete").asBoolean()) {
                out[0] = l.path("windows").get(0);
                return true;
            }
            return false;
        });
        return out[0];
    }

    private static List<String> alertKinds(ApiClient api, String from, long window) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode a : api.get("/api/v1/dq/alerts?from=" + from).body().path("alerts")) {
            kinds.add(a.path("kind").asText());
        }
        kinds.sort(String::compareTo);
        return kinds;
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("not within " + DEADLINE + ": " + what);
    }
}
