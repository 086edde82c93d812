package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Targeting by realtime segment end to end on the real broker: a segment defined over the API, a running
 * experiment targeted at it, purchases sent through the gateway (raw → topology → valid → engine), and then the
 * assignment API and posthog-js {@code /flags} put exactly the engine's members in the experiment, with no
 * {@code segments} attribute from the caller.
 */
@ExtendWith(BeaconStackExtension.class)
class AbtestSegmentTargetingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldPutTheEnginesSegmentMembersInTheTargetedExperimentAndNobodyElse(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "abseg", 0);
        // correctness, not latency, on a shared 2-core machine: the lookup may take longer than the 50 ms default
        fx.settings.put("beacon.abtest.segment-lookup-timeout", "5s");
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(90))), "node ready");
            String secretKey = node.controlPlane().projects().byId("proj_" + fx.name).orElseThrow().secretKey();
            ApiClient api = new ApiClient(node.httpUrl(), secretKey);

            // Given a realtime segment "purchased at least once in 7 days" and a running experiment targeted at it
            assertEquals(201, api.post("/api/v1/segments", """
                    {"id":"buyers","name":"Buyers","rule":{"event_count":{"event":"purchase","window":"7d","op":"gte","value":1}}}""").status());
            ApiClient.Response created = api.post("/api/v1/experiments", """
                    {"key":"vip-offer","status":"running","targeting":{"segments":["buyers"]},
                     "variations":[{"key":"control"},{"key":"vip"}]}""");
            assertEquals(201, created.status(), created.text());

            // When some users purchase and the others only view pages
            List<String> buyers = new ArrayList<>();
            List<String> browsers = new ArrayList<>();
            List<String> items = new ArrayList<>();
            String now = Instant.now().minusSeconds(60).toString();
            for (int i = 0; i < 12; i++) {
                String user = "seg-user-" + i;
                boolean buys = i % 3 == 0;
                (buys ? buyers : browsers).add(user);
                items.add(track(user, buys ? "purchase" : "page_viewed", now));
                items.add(track(user, "page_viewed", now));
            }
            new SegmentLoad(node::httpUrl, fx.writeKey).sendUntilAccepted(SegmentLoad.batch(items), Duration.ofSeconds(30));

            // ...and the engine has applied every user's events (members in "buyers", the others known but not members)
            Map<String, Set<String>> engineSegments = new TreeMap<>();
            for (String user : buyers) {
                engineSegments.put(user, awaitProfile(api, user, segments -> segments.contains("buyers")));
            }
            for (String user : browsers) {
                engineSegments.put(user, awaitProfile(api, user, segments -> true));
            }
            for (String user : buyers) {
                assertEquals(Set.of("buyers"), engineSegments.get(user), user);
            }
            for (String user : browsers) {
                assertEquals(Set.of(), engineSegments.get(user), user);
            }

            // Then the assignment API (no segments attribute) puts the members in, hashed like GrowthBook, and the others not
            for (String user : buyers) {
                JsonNode a = only(api.get("/api/v1/assignments?user_id=" + user), "vip-offer", user);
                assertTrue(a.get("in_experiment").asBoolean(), user);
                assertEquals(expectedVariation(user), a.get("variation_key").asText(), user);
            }
            for (String user : browsers) {
                ApiClient.Response r = api.get("/api/v1/assignments?user_id=" + user);
                assertEquals(200, r.status(), r.text());
                assertEquals(0, r.body().get("assignments").size(), user + ": " + r.text());
            }
            // a user the engine never saw is in no segment
            ApiClient.Response stranger = api.get("/api/v1/assignments?user_id=never-seen-user");
            assertEquals(200, stranger.status(), stranger.text());
            assertEquals(0, stranger.body().get("assignments").size(), stranger.text());

            // and the batch API answers the same per unit
            StringBuilder batch = new StringBuilder("{\"users\":[");
            List<String> everyone = new ArrayList<>(buyers);
            everyone.addAll(browsers);
            for (int i = 0; i < everyone.size(); i++) {
                batch.append(i > 0 ? "," : "").append("{\"user_id\":\"").append(everyone.get(i)).append("\"}");
            }
            ApiClient.Response batchAnswer = api.post("/api/v1/assignments", batch + "],\"log_exposures\":false}");
            assertEquals(200, batchAnswer.status(), batchAnswer.text());
            Set<String> inBatch = new HashSet<>();
            for (JsonNode result : batchAnswer.body().get("results")) {
                for (JsonNode a : result.get("assignments")) {
                    assertEquals(expectedVariation(result.get("user_id").asText()), a.get("variation_key").asText());
                    inBatch.add(result.get("user_id").asText());
                }
            }
            assertEquals(new HashSet<>(buyers), inBatch);

            // and posthog-js /flags serves the flag to members only
            assertEquals(expectedVariation(buyers.get(0)), flags(node, fx.writeKey, buyers.get(0)).at("/featureFlags/vip-offer").asText());
            JsonNode browserFlags = flags(node, fx.writeKey, browsers.get(0));
            assertFalse(browserFlags.path("featureFlags").has("vip-offer"), browserFlags.toString());
            assertFalse(browserFlags.get("errorsWhileComputingFlags").asBoolean(), browserFlags.toString());

            // and a caller's own segments attribute wins over the engine's memberships
            JsonNode forced = only(api.get("/api/v1/assignments?user_id=" + browsers.get(1) + "&segments=buyers"), "vip-offer", browsers.get(1));
            assertEquals(expectedVariation(browsers.get(1)), forced.get("variation_key").asText());
        }
    }

    private static String track(String user, String event, String timestamp) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"" + user + "\",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"timestamp\":\"" + timestamp + "\"}";
    }

    private static String expectedVariation(String user) {
        return GrowthBookHash.hash("vip-offer", user, 2).orElseThrow() < 0.5 ? "control" : "vip";
    }

    /** The one assignment of {@code experiment} in a 200 answer. */
    private static JsonNode only(ApiClient.Response r, String experiment, String user) {
        assertEquals(200, r.status(), r.text());
        JsonNode assignments = r.body().get("assignments");
        assertEquals(1, assignments.size(), user + ": " + r.text());
        assertEquals(experiment, assignments.get(0).get("experiment").asText());
        return assignments.get(0);
    }

    /** Polls {@code GET /api/v1/users/{id}} until the profile exists and its segment ids satisfy {@code done}. */
    private static Set<String> awaitProfile(ApiClient api, String user, java.util.function.Predicate<Set<String>> done) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            ApiClient.Response r = api.get("/api/v1/users/" + user);
            last = r.status() + " " + r.text();
            if (r.status() == 200) {
                Set<String> ids = new HashSet<>();
                r.body().path("segments").forEach(s -> ids.add(s.path("id").asText()));
                if (done.test(ids)) {
                    return ids;
                }
            }
            try {
                Thread.sleep(200); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("profile of " + user + " not as expected before the deadline; last answer " + last);
    }

    private JsonNode flags(BeaconNode node, String writeKey, String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/flags/?v=2"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + writeKey + "\",\"distinct_id\":\"" + user + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
