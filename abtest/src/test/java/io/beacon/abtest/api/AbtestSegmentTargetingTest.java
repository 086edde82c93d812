package io.beacon.abtest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.analysis.AnalysisSettings;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.assignment.SegmentLookup;
import io.beacon.abtest.hashing.GrowthBookHash;
import io.beacon.abtest.runtime.Abtest;
import io.beacon.abtest.runtime.AbtestSettings;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Targeting by segment over the HTTP API with a fake {@link SegmentLookup} (the engine's port): memberships are
 * looked up only when a running experiment targets segments and the caller passed none; a failed or late lookup
 * answers 503 {@code SEGMENTS_UNAVAILABLE}.
 */
class AbtestSegmentTargetingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CRM = "sk_crm_0123456789abcdef";
    private static final String PLAIN = "sk_plain_0123456789abcdef";
    /** The fake engine: unit → segment ids (unknown units are in none). */
    private static final Map<String, Set<String>> MEMBERS = Map.of(
            "alice", Set.of("buyers", "browsers"), "dev-7", Set.of("buyers"), "bob", Set.of("browsers"));
    private static final List<String> LOOKED_UP = new CopyOnWriteArrayList<>();
    /**
     * Sticky bucketing off: a sticky variation is kept even when the unit leaves the segment (GrowthBook's order),
     * which would make each test depend on the units the others assigned.
     */
    private static final AbtestSettings NOT_STICKY = new AbtestSettings(false, true, 500_000, 50_000,
            AnalysisSettings.DEFAULTS, 1, Duration.ofMillis(50));
    private static ActorSystem<Void> system;
    private static Abtest abtest;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        InMemoryConfigStore store = new InMemoryConfigStore();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.bootstrapProject("crm", "CRM", "wk_crm_0123456789abcdef", CRM);
        projects.bootstrapProject("plain", "Plain", "wk_plain_0123456789abcdef", PLAIN);
        AnalyticsQueries warehouse = sql -> new AnalyticsQueries.Rows(List.of(), List.of());
        SegmentLookup lookup = (project, unit) -> {
            LOOKED_UP.add(project + ":" + unit);
            if (unit.startsWith("down")) {
                return CompletableFuture.failedFuture(new IllegalStateException("partition being moved"));
            }
            if (unit.startsWith("silent")) {
                return new CompletableFuture<>(); // never answers: the timeout must
            }
            if (unit.startsWith("throws")) {
                throw new IllegalStateException("the port threw instead of failing its stage");
            }
            return CompletableFuture.completedFuture(MEMBERS.getOrDefault(unit, Set.of()));
        };
        abtest = new Abtest(store, projects, new InMemoryStickyBucketStore(), envs -> CompletableFuture.completedFuture(null),
                warehouse, lookup, NOT_STICKY, () -> 1_000L);
        system = ActorSystem.create(Behaviors.empty(), "abtest-segments", ConfigFactory.load());
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(abtest.routes()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + binding.localAddress().getPort();
        // crm: one experiment for buyers (user_id, else device_id), one for everyone; plain: none targets segments
        ok(201, call("POST", "/api/v1/experiments", """
                {"key":"vip-offer","status":"running","fallback_attribute":"device_id",
                 "targeting":{"segments":["buyers"]},"variations":[{"key":"control"},{"key":"vip"}]}""", CRM));
        ok(201, call("POST", "/api/v1/experiments", """
                {"key":"banner","status":"running","variations":[{"key":"a"},{"key":"b"}]}""", CRM));
        ok(201, call("POST", "/api/v1/experiments", """
                {"key":"banner","status":"running","variations":[{"key":"a"},{"key":"b"}]}""", PLAIN));
        ok(201, call("POST", "/api/v1/experiments", """
                {"key":"later","targeting":{"segments":["buyers"]},"variations":[{"key":"a"},{"key":"b"}]}""", PLAIN));
    }

    @AfterAll
    static void stop() {
        abtest.close();
        system.terminate();
    }

    @BeforeEach
    void forgetLookups() {
        LOOKED_UP.clear();
    }

    private static HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** experiment key → variation key ("-" when not in the experiment) of an {@code assignments} array. */
    private static Map<String, String> variations(JsonNode assignments) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode a : assignments) {
            out.put(a.get("experiment").asText(), a.get("in_experiment").asBoolean() ? a.get("variation_key").asText() : "-");
        }
        return out;
    }

    private static String expected(String seed, String unit, String... keys) {
        double n = GrowthBookHash.hash(seed, unit, 2).orElseThrow();
        return keys[n < 0.5 ? 0 : 1];
    }

    @Test
    void shouldLookUpMembershipsAndPutOnlyMembersInTheTargetedExperiment() throws Exception {
        Map<String, String> alice = variations(ok(200, call("GET", "/api/v1/assignments?user_id=alice", null, CRM)).get("assignments"));
        Map<String, String> bob = variations(ok(200, call("GET", "/api/v1/assignments?user_id=bob", null, CRM)).get("assignments"));
        Map<String, String> carol = variations(ok(200, call("GET", "/api/v1/assignments?user_id=carol", null, CRM)).get("assignments"));

        // alice is in "buyers": eligible, hashed like GrowthBook; bob ("browsers" only) and carol (unknown) are not eligible
        assertEquals(Map.of("banner", expected("banner", "alice", "a", "b"), "vip-offer", expected("vip-offer", "alice", "control", "vip")), alice);
        assertEquals(Map.of("banner", expected("banner", "bob", "a", "b")), bob);
        assertEquals(Map.of("banner", expected("banner", "carol", "a", "b")), carol);
        assertEquals(List.of("crm:alice", "crm:bob", "crm:carol"), LOOKED_UP);
    }

    @Test
    void shouldLookUpTheDeviceIdOfAUnitWithoutUserId() throws Exception {
        JsonNode r = ok(200, call("GET", "/api/v1/assignments?device_id=dev-7&experiment=vip-offer", null, CRM));

        assertEquals(Map.of("vip-offer", expected("vip-offer", "dev-7", "control", "vip")), variations(r.get("assignments")));
        assertEquals("device_id", r.at("/assignments/0/hash_attribute").asText());
        assertEquals(List.of("crm:dev-7"), LOOKED_UP);
    }

    @Test
    void shouldUseTheCallersSegmentsWithoutALookup() throws Exception {
        // the caller's segments win over the engine's: alice (a buyer there) says browsers only, bob says buyers
        JsonNode alice = ok(200, call("GET", "/api/v1/assignments?user_id=alice&segments=browsers", null, CRM));
        JsonNode bob = ok(200, call("GET", "/api/v1/assignments?user_id=bob&segments=vip,buyers", null, CRM));
        JsonNode dave = ok(200, call("GET", "/api/v1/assignments?user_id=dave&segments=", null, CRM)); // explicitly none

        assertEquals(Set.of("banner"), variations(alice.get("assignments")).keySet());
        assertEquals(expected("vip-offer", "bob", "control", "vip"), variations(bob.get("assignments")).get("vip-offer"));
        assertEquals(Set.of("banner"), variations(dave.get("assignments")).keySet());
        assertEquals(List.of(), LOOKED_UP);
    }

    @Test
    void shouldNotLookUpWhenNoRunningExperimentOfTheRequestTargetsSegments() throws Exception {
        ok(200, call("GET", "/api/v1/assignments?user_id=alice", null, PLAIN)); // "later" targets segments but is a draft
        ok(200, call("GET", "/api/v1/assignments?user_id=alice&experiment=banner", null, CRM));
        ok(200, call("POST", "/api/v1/assignments", "{\"users\":[{\"user_id\":\"alice\"}],\"experiments\":[\"banner\"]}", CRM));

        assertEquals(List.of(), LOOKED_UP);
    }

    @Test
    void shouldAssignABatchWithOneLookupPerUnitWithoutSegments() throws Exception {
        JsonNode r = ok(200, call("POST", "/api/v1/assignments", """
                {"users":[{"user_id":"alice"},{"user_id":"bob"},{"user_id":"carol","segments":["buyers"]},
                          {"device_id":"dev-7"}],"experiments":["vip-offer"]}""", CRM));

        List<Map<String, String>> results = new ArrayList<>();
        r.get("results").forEach(u -> results.add(variations(u.get("assignments"))));
        assertEquals(List.of(
                Map.of("vip-offer", expected("vip-offer", "alice", "control", "vip")),
                Map.of(),
                Map.of("vip-offer", expected("vip-offer", "carol", "control", "vip")),
                Map.of("vip-offer", expected("vip-offer", "dev-7", "control", "vip"))), results);
        assertEquals(Set.of("crm:alice", "crm:bob", "crm:dev-7"), Set.copyOf(LOOKED_UP));
        assertEquals(3, LOOKED_UP.size());
    }

    @Test
    void shouldAnswer503SegmentsUnavailableNamingTheExperimentWhenTheLookupFails() throws Exception {
        long failuresBefore = abtest.assignments().segmentLookupFailures();
        for (String unit : List.of("down-1", "silent-1", "throws-1")) {
            HttpResponse<String> r = call("GET", "/api/v1/assignments?user_id=" + unit, null, CRM);

            JsonNode body = ok(503, r);
            assertEquals("SEGMENTS_UNAVAILABLE", body.at("/error/code").asText(), unit);
            assertEquals("segments", body.at("/error/field").asText());
            assertEquals("[\"vip-offer\"]", body.at("/error/experiments").toString());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
        }
        JsonNode batch = ok(503, call("POST", "/api/v1/assignments", "{\"users\":[{\"user_id\":\"alice\"},{\"user_id\":\"down-2\"}]}", CRM));
        assertEquals("SEGMENTS_UNAVAILABLE", batch.at("/error/code").asText());
        assertEquals(failuresBefore + 4, abtest.assignments().segmentLookupFailures());
        // the same unit with its segments given is answered
        JsonNode given = ok(200, call("GET", "/api/v1/assignments?user_id=down-1&segments=buyers", null, CRM));
        assertTrue(variations(given.get("assignments")).containsKey("vip-offer"));
    }
}
