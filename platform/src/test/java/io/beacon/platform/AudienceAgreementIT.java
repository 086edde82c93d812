package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One audience rule, two evaluators, the same members: each rule below is saved both as a realtime segment (the
 * actor engine evaluates it live, event by event) and as a dynamic cohort (ClickHouse evaluates it over the history
 * at query time), the same events go through the gateway to both, and the engine's members must equal the cohort's.
 *
 * <p>Event times are chosen away from every window edge (docs/audiences.md, "Windows": both sides start a rolling
 * window at the same epoch-aligned bucket), so the few seconds between the engine's evaluation and the cohort query
 * cannot move an event across one.
 */
@ExtendWith(BeaconStackExtension.class)
class AudienceAgreementIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    /** Rules both evaluators express (docs/audiences.md, "What each side evaluates"). */
    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("buyers7d", "{\"event_count\":{\"event\":\"purchase\",\"window\":\"7d\",\"op\":\"gte\",\"value\":2}}");
        RULES.put("viewers-no-buy", "{\"and\":[{\"event_count\":{\"event\":\"page_viewed\",\"window\":\"24h\",\"op\":\"gte\",\"value\":1}},"
                + "{\"not\":{\"event_count\":{\"event\":\"purchase\",\"window\":\"30d\",\"op\":\"gt\",\"value\":0}}}]}");
        RULES.put("pro-or-signup", "{\"or\":[{\"trait\":{\"name\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}},"
                + "{\"event_count\":{\"event\":\"signup\",\"window\":\"all\",\"op\":\"eq\",\"value\":1}}]}");
        RULES.put("older", "{\"trait\":{\"name\":\"age\",\"op\":\"gte\",\"value\":30}}");
        RULES.put("mid-age", "{\"trait\":{\"name\":\"age\",\"op\":\"between\",\"value\":[20,40]}}");
        RULES.put("not-free", "{\"trait\":{\"name\":\"plan\",\"op\":\"neq\",\"value\":\"free\"}}");
        RULES.put("plan-in", "{\"trait\":{\"name\":\"plan\",\"op\":\"in\",\"value\":[\"pro\",\"team\"]}}");
        RULES.put("no-plan", "{\"trait\":{\"name\":\"plan\",\"op\":\"is_not_set\"}}");
        RULES.put("plan-contains", "{\"trait\":{\"name\":\"plan\",\"op\":\"contains\",\"value\":\"ea\"}}");
        RULES.put("active2d", "{\"last_seen_within\":\"P2D\"}");
        RULES.put("dormant5d", "{\"not_seen_for\":\"P5D\"}");
        RULES.put("lte-views", "{\"and\":[{\"event_count\":{\"event\":\"page_viewed\",\"window\":\"30d\",\"op\":\"lte\",\"value\":2}},"
                + "{\"event_count\":{\"event\":\"page_viewed\",\"window\":\"1h\",\"op\":\"lt\",\"value\":3}}]}");
    }

    @Test
    void shouldGiveTheSameMembersForTheSameRuleInTheEngineAndInClickHouse(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "audience", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(90))), "node ready");
            ApiClient api = new ApiClient(node.httpUrl(), secret);

            // Given each rule saved as a realtime segment and as a dynamic cohort, the same JSON for both
            for (Map.Entry<String, String> r : RULES.entrySet()) {
                ApiClient.Response seg = api.post("/api/v1/segments", "{\"id\":\"" + r.getKey() + "\",\"name\":\"" + r.getKey()
                        + "\",\"rule\":" + r.getValue() + "}");
                assertEquals(201, seg.status(), r.getKey() + ": " + seg.text());
                ApiClient.Response cohort = api.post("/api/v1/cohorts", "{\"id\":\"" + r.getKey() + "\",\"name\":\"" + r.getKey()
                        + "\",\"type\":\"dynamic\",\"definition\":" + r.getValue() + "}");
                assertEquals(201, cohort.status(), r.getKey() + ": " + cohort.text());
            }
            // ...known to the engine before any event arrives (it evaluates on events and on time)
            for (String id : RULES.keySet()) {
                awaitStatus(api, "/api/v1/segments/" + id + "/members", 200);
            }

            // When 24 users act at times away from every window edge, some with traits
            Instant now = Instant.now();
            long[] agesMinutes = {1, 3 * 60, 36 * 60, 10 * 24 * 60, 40 * 24 * 60};
            String[] plans = {"pro", "free", "team", "enterprise", null, "pro"};
            Object[] ages = {25, 35, "41", "unknown", null, 19, 30};
            List<String> items = new ArrayList<>();
            Map<String, Integer> eventsPerUser = new LinkedHashMap<>();
            for (int u = 0; u < 24; u++) {
                String user = "aud-user-" + u;
                int n = 0;
                Map<String, Object> traits = new LinkedHashMap<>();
                if (plans[u % plans.length] != null) {
                    traits.put("plan", plans[u % plans.length]);
                }
                if (ages[u % ages.length] != null) {
                    traits.put("age", ages[u % ages.length]);
                }
                long lastAge = agesMinutes[u % agesMinutes.length];
                if (!traits.isEmpty()) {
                    items.add(identify(user, traits, now.minus(Duration.ofMinutes(lastAge + 5))));
                    n++;
                }
                // purchases: u % 4 of them, at the user's last activity, 2 days and 10 days before it
                long[] purchaseOffsets = {0, 2 * 24 * 60, 10 * 24 * 60};
                for (int p = 0; p < u % 4; p++) {
                    items.add(track(user, "purchase", now.minus(Duration.ofMinutes(lastAge + purchaseOffsets[p]))));
                    n++;
                }
                // page views: u % 3 + 1 of them at the user's last activity
                for (int v = 0; v <= u % 3; v++) {
                    items.add(track(user, "page_viewed", now.minus(Duration.ofMinutes(lastAge))));
                    n++;
                }
                if (u % 5 == 0) {
                    items.add(track(user, "signup", now.minus(Duration.ofMinutes(lastAge + 10))));
                    n++;
                }
                eventsPerUser.put(user, n);
            }
            new SegmentLoad(node::httpUrl, fx.writeKey).sendUntilAccepted(SegmentLoad.batch(items), Duration.ofSeconds(30));

            // ...and both sides have every event: ClickHouse the rows, the engine each user's count
            assertEquals(items.size(), PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM events FINAL"),
                    items.size(), DEADLINE));
            for (Map.Entry<String, Integer> e : eventsPerUser.entrySet()) {
                awaitEngineEvents(api, e.getKey(), e.getValue());
            }
            long traitsSet = 0;
            for (int u = 0; u < 24; u++) {
                traitsSet += (plans[u % plans.length] != null ? 1 : 0) + (ages[u % ages.length] != null ? 1 : 0);
            }
            assertEquals(traitsSet, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM persons_current WHERE key IN ('plan', 'age')"), traitsSet, DEADLINE));

            // Then for every rule the engine's members are the cohort's members
            int nonTrivial = 0;
            for (String id : RULES.keySet()) {
                TreeSet<String> engine = segmentMembers(api, id);
                TreeSet<String> cohort = cohortMembers(api, id);
                assertEquals(cohort, engine, id + ": cohort (ClickHouse) vs segment (engine)");
                if (!engine.isEmpty() && engine.size() < eventsPerUser.size()) {
                    nonTrivial++;
                }
            }
            // and the rules are not trivially true or false for everyone
            assertEquals(RULES.size(), nonTrivial, "every rule splits the users");
        }
    }

    @Test
    void shouldRefuseOnEachSideWhatOnlyTheOtherEvaluatesNamingTheField(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "audref", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(90))), "node ready");
            ApiClient api = new ApiClient(node.httpUrl(), secret);
            String sequence = "{\"sequence\":{\"first\":{\"event\":\"a\"},\"then\":{\"event\":\"b\"},\"within\":\"PT1H\",\"days\":7}}";
            String score = "{\"and\":[{\"score\":{\"name\":\"churn\",\"op\":\"gte\",\"value\":0.5}}]}";

            ApiClient.Response seg = api.post("/api/v1/segments", "{\"name\":\"s\",\"rule\":" + sequence + "}");
            assertEquals(400, seg.status(), seg.text());
            assertEquals("rule.sequence", seg.body().at("/error/field").asText(), seg.text());
            ApiClient.Response cohort = api.post("/api/v1/cohorts", "{\"name\":\"c\",\"definition\":" + score + "}");
            assertEquals(400, cohort.status(), cohort.text());
            assertEquals("definition.and[0].score", cohort.body().at("/error/field").asText(), cohort.text());
            ApiClient.Response badFilter = api.post("/api/v1/cohorts", "{\"name\":\"c\",\"definition\":{\"event_count\":{\"event\":\"a\","
                    + "\"filters\":[{\"property\":\"properties.x\",\"op\":\"gt\",\"value\":\"ten\"}],\"days\":7,\"op\":\"gte\",\"value\":1}}}");
            assertEquals(400, badFilter.status(), badFilter.text());
            assertEquals("definition.event_count.filters[0].value", badFilter.body().at("/error/field").asText(), badFilter.text());

            // and nothing was saved
            assertEquals(0, api.get("/api/v1/segments").body().get("segments").size());
            assertEquals(0, api.get("/api/v1/cohorts").body().get("cohorts").size());
            // while what both express is accepted by both
            ApiClient.Response both = api.post("/api/v1/cohorts", "{\"name\":\"c\",\"definition\":" + sequence + "}");
            assertEquals(201, both.status(), both.text());
            assertFalse(both.body().path("id").asText().isEmpty(), both.text());
        }
    }

    private static TreeSet<String> segmentMembers(ApiClient api, String id) {
        TreeSet<String> out = new TreeSet<>();
        String cursor = null;
        do {
            ApiClient.Response r = api.get("/api/v1/segments/" + id + "/members?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertEquals(200, r.status(), r.text());
            r.body().get("members").forEach(m -> out.add(m.asText()));
            cursor = r.body().path("next_cursor").isNull() || r.body().path("next_cursor").isMissingNode() ? null
                    : r.body().get("next_cursor").asText();
        } while (cursor != null);
        return out;
    }

    private static TreeSet<String> cohortMembers(ApiClient api, String id) {
        ApiClient.Response r = api.get("/api/v1/cohorts/" + id + "/members?limit=10000");
        assertEquals(200, r.status(), r.text());
        assertFalse(r.body().has("next_offset") && !r.body().get("next_offset").isNull(), r.text());
        TreeSet<String> out = new TreeSet<>();
        r.body().get("persons").forEach(m -> out.add(m.isObject() ? m.path("person_id").asText() : m.asText()));
        return out;
    }

    /** Polls the engine's profile of {@code user} until it has applied {@code events} events. */
    private static void awaitEngineEvents(ApiClient api, String user, int events) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            ApiClient.Response r = api.get("/api/v1/users/" + user);
            last = r.status() + " " + r.text();
            if (r.status() == 200 && totalEvents(r.body()) == events) {
                return;
            }
            pause();
        }
        throw new AssertionError("the engine did not apply " + events + " events of " + user + " before the deadline; last " + last);
    }

    private static long totalEvents(JsonNode profile) {
        long n = 0;
        for (JsonNode c : profile.path("events")) {
            n += c.path("all").asLong();
        }
        return n;
    }

    private static void awaitStatus(ApiClient api, String path, int status) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        ApiClient.Response r = api.get(path);
        while (r.status() != status && System.nanoTime() < end) {
            pause();
            r = api.get(path);
        }
        assertEquals(status, r.status(), path + ": " + r.text());
    }

    private static void pause() {
        try {
            Thread.sleep(200); // poll interval
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static String track(String user, String event, Instant at) {
        return "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"" + user + "\",\"messageId\":\"" + UUID.randomUUID()
                + "\",\"timestamp\":\"" + at + "\"}";
    }

    private static String identify(String user, Map<String, Object> traits, Instant at) {
        StringBuilder t = new StringBuilder("{");
        traits.forEach((k, v) -> t.append(t.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)));
        return "{\"type\":\"identify\",\"userId\":\"" + user + "\",\"traits\":" + t + "},\"messageId\":\"" + UUID.randomUUID()
                + "\",\"timestamp\":\"" + at + "\"}";
    }
}
