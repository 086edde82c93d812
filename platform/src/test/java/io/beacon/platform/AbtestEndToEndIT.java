package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A/B testing end to end on the real broker and ClickHouse: experiments created over the API, users
 * assigned over the API (exposures flow gateway log → raw → topology → valid → sink → events →
 * experiment_exposures), conversions sent through the gateway with a known true lift, results read back.
 *
 * <p>The A/B routes are served by a second HTTP server built with {@link AbtestWiring} on the node's
 * control plane, so the test does not depend on BeaconNode composing them yet.
 */
@ExtendWith(BeaconStackExtension.class)
class AbtestEndToEndIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private String abtestUrl;
    private String secretKey;

    @Test
    void shouldRecoverAKnownLiftWithinItsIntervalAndFlagAnInjectedSampleRatioMismatch(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "abtest", 0);
        // no in-process memory of logged exposures: repeated assignments re-send them and the pipeline must dedup
        fx.settings.put("beacon.abtest.exposure-memory", "0");
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse();
             AbtestWiring wiring = AbtestWiring.start(fx.config(), node.controlPlane(), null, null)) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(60))), "node ready");
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "abtest-it", fx.config());
            try {
                ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(wiring.routes())
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                abtestUrl = "http://127.0.0.1:" + binding.localAddress().getPort();
                secretKey = node.controlPlane().projects().byId("proj_" + fx.name).orElseThrow().secretKey();
                SegmentLoad gateway = new SegmentLoad(node::httpUrl, fx.writeKey);

                recoverKnownLift(gateway, ch);
                flagInjectedSrm(gateway, ch);
            } finally {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldServeExperimentVariationsToPosthogJsFlagsAsTheAssignmentApiDoes(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "abflags", 0);
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(60))), "node ready");
            abtestUrl = node.httpUrl(); // the node composes the A/B routes with the gateway's
            secretKey = node.controlPlane().projects().byId("proj_" + fx.name).orElseThrow().secretKey();
            // no running experiment yet: the remote config tells posthog-js there are no flags
            assertFalse(remoteConfig(node, fx.writeKey).get("hasFeatureFlags").asBoolean());

            // Given a running three-way experiment created over the API
            send("POST", "/api/v1/experiments", """
                    {"key":"pricing-page","status":"running",
                     "variations":[{"key":"control"},{"key":"cheaper"},{"key":"annual-first"}]}""");
            assertTrue(remoteConfig(node, fx.writeKey).get("hasFeatureFlags").asBoolean());

            for (int i = 0; i < 30; i++) {
                String user = "flags-user-" + i;
                // When posthog-js asks /flags?v=2 with the project's write key and the user's distinct_id
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/flags/?v=2"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + fx.writeKey + "\",\"distinct_id\":\"" + user
                                + "\",\"person_properties\":{\"$initial_referrer\":\"$direct\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                JsonNode flags = JSON.readTree(r.body());

                // Then the flag's variant is the variation the assignment API gives the same user
                JsonNode assigned = send("GET", "/api/v1/assignments?user_id=" + user, null).get("assignments").get(0);
                assertEquals("pricing-page", assigned.get("experiment").asText());
                assertTrue(assigned.get("in_experiment").asBoolean());
                String variation = assigned.get("variation_key").asText();
                assertEquals(variation, flags.at("/flags/pricing-page/variant").asText(), flags.toString());
                assertTrue(flags.at("/flags/pricing-page/enabled").asBoolean());
                assertEquals(variation, flags.at("/featureFlags/pricing-page").asText());
                assertFalse(flags.get("errorsWhileComputingFlags").asBoolean());
            }
            // and /decide answers the same for the legacy SDKs
            HttpResponse<String> decide = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/decide/?v=3"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + fx.writeKey + "\",\"distinct_id\":\"flags-user-0\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(send("GET", "/api/v1/assignments?user_id=flags-user-0", null).at("/assignments/0/variation_key").asText(),
                    JSON.readTree(decide.body()).at("/featureFlags/pricing-page").asText());

            // When posthog-js reports exposures itself ($feature_flag_called; twice for one user, false = not in the experiment)
            StringBuilder batch = new StringBuilder("{\"api_key\":\"" + fx.writeKey + "\",\"batch\":[");
            String[][] calls = {{"sdk-user-1", "\"cheaper\""}, {"sdk-user-2", "false"}, {"sdk-user-1", "\"cheaper\""}, {"sdk-user-3", "\"annual-first\""}};
            for (int i = 0; i < calls.length; i++) {
                batch.append(i > 0 ? "," : "").append("{\"event\":\"$feature_flag_called\",\"distinct_id\":\"").append(calls[i][0])
                        .append("\",\"uuid\":\"").append(java.util.UUID.randomUUID()).append("\",\"properties\":{\"$feature_flag\":\"pricing-page\",")
                        .append("\"$feature_flag_response\":").append(calls[i][1]).append("}}");
            }
            HttpResponse<String> captured = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/batch/"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch + "]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, captured.statusCode(), captured.body());
            // Then they are exposures in experiment_exposures, once per user and variation, the false one not
            try (ClickHouse ch = fx.clickhouse()) {
                assertEquals(4, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                        "SELECT count() FROM events FINAL WHERE event_name = '$feature_flag_called'"), 4, Duration.ofSeconds(90)));
                String exposures = "SELECT distinct_id, variation_key FROM experiment_exposures FINAL WHERE experiment_key = 'pricing-page' "
                        + "AND distinct_id LIKE 'sdk-user-%' ORDER BY distinct_id";
                // The view writes with the insert; the wait only covers a reader that sees events before experiment_exposures
                PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM (" + exposures + ")"), 2, Duration.ofSeconds(30));
                assertEquals(List.of(List.of("sdk-user-1", "cheaper"), List.of("sdk-user-3", "annual-first")), ch.query(exposures).rows(),
                        () -> "ClickHouse " + ch.serverVersion() + "; the $feature_flag_called events: " + ch.query("SELECT distinct_id, "
                                + "properties.key, properties.value, event_id FROM events WHERE event_name = '$feature_flag_called'").rows()
                                + "; experiment_exposures of sdk users without FINAL: " + ch.query("SELECT * FROM experiment_exposures "
                                + "WHERE distinct_id LIKE 'sdk-user-%'").rows());
            }
        }
    }

    private JsonNode remoteConfig(BeaconNode node, String writeKey) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/array/" + writeKey + "/config")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private void recoverKnownLift(SegmentLoad gateway, ClickHouse ch) throws Exception {
        // Given a running 50/50 experiment with a conversion goal
        JsonNode created = send("POST", "/api/v1/experiments", """
                {"key":"checkout","variations":[{"key":"control"},{"key":"treatment"}],
                 "goal_metrics":[{"event":"purchase","type":"conversion","window_hours":72}]}""");
        assertEquals("draft", created.get("status").asText());
        JsonNode stale = sendExpecting(409, "PATCH", "/api/v1/experiments/checkout", "{\"status\":\"running\",\"version\":7}");
        assertEquals("VERSION_CONFLICT", stale.at("/error/code").asText());
        JsonNode bad = sendExpecting(400, "POST", "/api/v1/experiments", "{\"key\":\"x\",\"variations\":[{\"key\":\"a\"}]}");
        assertEquals("variations", bad.at("/error/field").asText());
        send("PATCH", "/api/v1/experiments/checkout", "{\"status\":\"running\",\"version\":1}");

        // When 3,000 users are assigned through the batch API (twice: the second pass re-sends exposures)
        int users = 3000;
        Map<String, String> variationOf = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int from = 0; from < users; from += 250) {
                StringBuilder body = new StringBuilder("{\"users\":[");
                for (int i = from; i < from + 250; i++) {
                    body.append(i > from ? "," : "").append("{\"user_id\":\"user-").append(i).append("\"}");
                }
                JsonNode answer = send("POST", "/api/v1/assignments", body.append("]}").toString());
                for (JsonNode r : answer.get("results")) {
                    JsonNode a = r.get("assignments").get(0);
                    assertTrue(a.get("in_experiment").asBoolean());
                    String previous = variationOf.put(r.get("user_id").asText(), a.get("variation_key").asText());
                    if (previous != null) {
                        assertEquals(previous, a.get("variation_key").asText(), "sticky across requests");
                    }
                }
            }
        }
        // and they convert with a true relative lift of +30 % (10 % vs 13 %), events sent after exposure
        Random random = new Random(42);
        String at = Instant.now().plusSeconds(60).toString();
        List<String> purchases = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < users; i++) {
            double p = variationOf.get("user-" + i).equals("treatment") ? 0.13 : 0.10;
            if (random.nextDouble() < p) {
                purchases.add("{\"type\":\"track\",\"event\":\"purchase\",\"userId\":\"user-" + i + "\",\"messageId\":\"buy-" + i
                        + "\",\"timestamp\":\"" + at + "\",\"properties\":{\"revenue\":20}}");
                sent++;
            }
            if (purchases.size() == 100 || (i == users - 1 && !purchases.isEmpty())) {
                gateway.sendUntilAccepted(SegmentLoad.batch(purchases), Duration.ofSeconds(30));
                purchases = new ArrayList<>();
            }
        }
        int expectedPurchases = sent;
        assertEquals(users, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                "SELECT uniqExact(distinct_id) FROM experiment_exposures WHERE experiment_key = 'checkout'"), users, Duration.ofSeconds(90)));
        assertEquals(expectedPurchases, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                "SELECT count() FROM events FINAL WHERE event_name = 'purchase'"), expectedPurchases, Duration.ofSeconds(90)));
        // exposures re-sent by the second pass were dropped by the pipeline's dedup on the deterministic id
        assertEquals(users, ch.queryLong("SELECT count() FROM events FINAL WHERE event_name = '$experiment_exposure'"));

        // Then the analysis recovers the lift within its interval, with no SRM
        JsonNode results = send("GET", "/api/v1/experiments/checkout/results", null);
        assertEquals(0, results.get("multi_variation_units").asLong());
        assertFalse(results.at("/srm/flagged").asBoolean(), results.toString());
        long units = 0;
        for (JsonNode u : results.get("units")) {
            units += u.get("units").asLong();
        }
        assertEquals(users, units);
        JsonNode comparison = results.at("/goals/0/comparisons/0");
        JsonNode f = comparison.get("frequentist");
        double lift = f.get("lift").asDouble();
        System.out.printf("abtest e2e: lift %.4f CI (%.4f, %.4f) p %.5f chance to win %.4f decision %s%n", lift,
                f.get("ci_lower").asDouble(), f.get("ci_upper").asDouble(), f.get("p_value").asDouble(),
                comparison.at("/bayesian/chance_to_win").asDouble(), comparison.get("decision").asText());
        assertTrue(f.get("ci_lower").asDouble() < 0.30 && 0.30 < f.get("ci_upper").asDouble(), "true lift 0.30 inside " + f);
        assertTrue(lift > 0, "positive lift estimated: " + lift);
        assertTrue(comparison.at("/bayesian/chance_to_win").asDouble() > 0.9, comparison.toString());
        long conversions = 0;
        for (JsonNode v : results.at("/goals/0/variations")) {
            conversions += v.get("conversions").asLong();
        }
        assertEquals(expectedPurchases, conversions);
    }

    private void flagInjectedSrm(SegmentLoad gateway, ClickHouse ch) throws Exception {
        // Given a running 50/50 experiment whose exposures an SDK reports as events
        send("POST", "/api/v1/experiments", """
                {"key":"banner","status":"running","variations":[{"key":"off","weight":0.5},{"key":"on","weight":0.5}],
                 "goal_metrics":[{"event":"purchase"}]}""");
        // When the reported exposures are split 45/55, plus 5 users seen in both variations
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(exposure("srm-" + i, i < 900 ? "off" : "on"));
        }
        for (int i = 0; i < 5; i++) {
            items.add(exposure("both-" + i, "off"));
            items.add(exposure("both-" + i, "on"));
        }
        for (int from = 0; from < items.size(); from += 100) {
            gateway.sendUntilAccepted(SegmentLoad.batch(items.subList(from, Math.min(items.size(), from + 100))), Duration.ofSeconds(30));
        }
        assertEquals(2005, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                "SELECT uniqExact(distinct_id) FROM experiment_exposures WHERE experiment_key = 'banner'"), 2005, Duration.ofSeconds(90)));

        // Then the SRM check flags it and no verdict is given
        JsonNode results = send("GET", "/api/v1/experiments/banner/results", null);
        System.out.println("abtest e2e SRM: " + results.get("srm"));
        assertTrue(results.at("/srm/flagged").asBoolean(), results.toString());
        assertTrue(results.at("/srm/p_value").asDouble() < 0.001);
        assertEquals(20.0, results.at("/srm/chi_square").asDouble(), 1e-9);
        assertEquals(5, results.get("multi_variation_units").asLong());
        assertEquals("srm", results.at("/goals/0/comparisons/0/decision").asText());
    }

    private static String exposure(String user, String variation) {
        return "{\"type\":\"track\",\"event\":\"$experiment_exposure\",\"userId\":\"" + user + "\",\"messageId\":\"exp-" + user + "-"
                + variation + "\",\"properties\":{\"experiment_key\":\"banner\",\"variation_key\":\"" + variation + "\"}}";
    }

    private JsonNode send(String method, String path, String body) throws Exception {
        HttpResponse<String> r = exchange(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " → " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode sendExpecting(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = exchange(method, path, body);
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> exchange(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(abtestUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + secretKey).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
