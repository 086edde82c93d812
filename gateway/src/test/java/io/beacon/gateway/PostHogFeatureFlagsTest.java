package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.gateway.internal.posthog.RecordedRequest;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /flags and /decide answer the {@link FeatureFlags} port's flags in the shapes posthog-js reads. */
class PostHogFeatureFlagsTest {
    /** What the fake port was asked. */
    record Call(String project, String distinctId, Map<String, Object> properties) {
    }

    private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    private static volatile boolean failing;
    private static PostHogClient client;

    private static final FeatureFlags FAKE = new FeatureFlags() {
        @Override
        public Map<String, Object> flagsFor(String projectId, String distinctId, Map<String, Object> personProperties) {
            CALLS.add(new Call(projectId, distinctId, Map.copyOf(personProperties)));
            if (failing) {
                throw new IllegalStateException("store down");
            }
            Map<String, Object> flags = new LinkedHashMap<>();
            flags.put("checkout-test", "treatment");
            flags.put("beta-banner", true);
            flags.put("outside-coverage", false);
            return flags;
        }

        @Override
        public boolean hasFlags(String projectId) {
            return GatewayHarness.PROJECT.equals(projectId);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        client = new PostHogClient(GatewayHarness.defaultSettings(), FAKE);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
    }

    @BeforeEach
    void reset() {
        CALLS.clear();
        failing = false;
    }

    @Test
    void shouldAnswerFlagsV2WithTheUsersVariations() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-flags.json"), "/flags/?v=2");

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
        JsonNode flag = reply.json().get("flags").get("checkout-test");
        assertEquals("checkout-test", flag.get("key").asText());
        assertTrue(flag.get("enabled").asBoolean());
        assertEquals("treatment", flag.get("variant").asText());
        JsonNode beta = reply.json().get("flags").get("beta-banner");
        assertTrue(beta.get("enabled").asBoolean());
        assertTrue(beta.get("variant").isNull());
        assertFalse(reply.json().get("flags").get("outside-coverage").get("enabled").asBoolean());
        JsonNode values = reply.json().get("featureFlags");
        assertEquals("treatment", values.get("checkout-test").asText());
        assertTrue(values.get("beta-banner").isBoolean() && values.get("beta-banner").asBoolean());
        assertTrue(values.get("outside-coverage").isBoolean() && !values.get("outside-coverage").asBoolean());
        assertTrue(reply.json().get("featureFlagPayloads").isEmpty());
        assertFalse(reply.json().get("errorsWhileComputingFlags").asBoolean());

        assertEquals(1, CALLS.size());
        Call call = CALLS.get(0);
        assertEquals(GatewayHarness.PROJECT, call.project());
        assertEquals("ada@example.com", call.distinctId());
        assertEquals("ada@example.com", call.properties().get("email"));
        assertEquals("01a214a2-598d-7a98-82a0-2e8d19d5cd40", call.properties().get("$device_id"));
        assertFalse(call.properties().containsKey("$initial_utm_source"), "nulls are left out");
    }

    @Test
    void shouldAnswerLegacyDecideWithFeatureFlags() {
        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/base64-form-flags.json"), "/decide/?v=3");

        assertEquals(200, reply.status(), String.valueOf(reply.json()));
        assertEquals("treatment", reply.json().get("featureFlags").get("checkout-test").asText());
        assertTrue(reply.json().get("featureFlags").get("beta-banner").asBoolean());
        assertEquals("ada@example.com", CALLS.get(0).distinctId());
    }

    @Test
    void shouldAnswerJsonBodiesOfServerSideSdks() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/flags?v=2"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + RecordedRequest.TOKEN + "\",\"distinct_id\":\"u-42\"}")));

        assertEquals(200, reply.status());
        assertEquals("treatment", reply.json().get("flags").get("checkout-test").get("variant").asText());
        assertEquals("u-42", CALLS.get(0).distinctId());
        assertTrue(CALLS.get(0).properties().isEmpty());
    }

    @Test
    void shouldAnswerNoFlagsForAnUnknownTokenWithoutAskingThePort() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/flags?v=2"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"wk_nope\",\"distinct_id\":\"u-42\"}")));

        assertEquals(200, reply.status());
        assertTrue(reply.json().get("flags").isEmpty());
        assertTrue(reply.json().get("featureFlags").isEmpty());
        assertTrue(CALLS.isEmpty());
    }

    @Test
    void shouldAnswerNoFlagsWithoutDistinctId() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/flags?v=2"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + RecordedRequest.TOKEN + "\"}")));

        assertEquals(200, reply.status());
        assertTrue(reply.json().get("featureFlags").isEmpty());
        assertTrue(CALLS.isEmpty());
    }

    @Test
    void shouldReportAFailingPortAsErrorsWhileComputingFlags() {
        failing = true;

        PostHogClient.Reply reply = client.replay(RecordedRequest.load("recorded/gzip-flags.json"), "/flags/?v=2");

        assertEquals(200, reply.status());
        assertTrue(reply.json().get("errorsWhileComputingFlags").asBoolean());
        assertTrue(reply.json().get("featureFlags").isEmpty());
    }

    @Test
    void shouldTellPosthogJsInTheRemoteConfigThatTheProjectHasFlags() {
        PostHogClient.Reply reply = client.send(HttpRequest.newBuilder(client.uri("/array/" + RecordedRequest.TOKEN + "/config")).GET());

        assertEquals(200, reply.status());
        assertTrue(reply.json().get("hasFeatureFlags").asBoolean());
    }

    @Test
    void shouldKeepTheNoFlagsAnswerWithTheDefaultPort() throws Exception {
        try (PostHogClient none = new PostHogClient()) {
            PostHogClient.Reply flags = none.replay(RecordedRequest.load("recorded/gzip-flags.json"), "/flags/?v=2");
            PostHogClient.Reply decide = none.replay(RecordedRequest.load("recorded/base64-form-flags.json"), "/decide/?v=3");
            PostHogClient.Reply config = none.send(HttpRequest.newBuilder(none.uri("/array/" + RecordedRequest.TOKEN + "/config")).GET());

            assertEquals(200, flags.status());
            assertTrue(flags.json().get("flags").isEmpty());
            assertTrue(flags.json().get("featureFlags").isEmpty());
            assertFalse(flags.json().get("errorsWhileComputingFlags").asBoolean());
            assertTrue(decide.json().get("featureFlags").isEmpty());
            assertFalse(config.json().get("hasFeatureFlags").asBoolean());
            assertNull(flags.json().get("featureFlags").get("checkout-test"));
        }
    }
}
