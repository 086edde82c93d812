package io.beacon.event.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.IncomingRequest;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.event.Rejection;
import io.beacon.event.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Fixture factories for the PostHog tests: the request bodies posthog-js 1.449.2 really sent while
 * a headless Chromium clicked through the demo shop ({@code posthog/posthog-js-funnel.json}), and
 * small hand-written events for single rules.
 */
final class PostHogFixtures {
    static final long RECEIVED_AT = 1_795_642_520_000L;
    /** The write key the recorded browser run used. */
    static final String TOKEN = "wk_test";
    /** posthog-js's anonymous id (also its $device_id) in the recorded run. */
    static final String ANON_ID = "01a214a2-598d-7a98-82a0-2e8d19d5cd40";
    static final String SESSION_ID = "01a214a2-59c6-76b0-b9ec-9f8724008fe9";

    private static final JsonNode FUNNEL = load("/posthog/posthog-js-funnel.json");

    private PostHogFixtures() {
    }

    /** A recorded batch body: {@code pageview}, {@code autocapture}, {@code identify} or {@code checkout}. */
    static ObjectNode recordedBatch(String name) {
        return (ObjectNode) FUNNEL.get(name).deepCopy();
    }

    /** The first event named {@code eventName} of a recorded batch, with the batch's sent_at merged in as the gateway does. */
    static ObjectNode recordedEvent(String batch, String eventName) {
        IncomingRequest.Split split = PostHogRequest.split(recordedBatch(batch), null);
        for (JsonNode item : ((IncomingRequest.Split.Items) split).items()) {
            if (eventName.equals(item.path("event").asText())) {
                return (ObjectNode) item;
            }
        }
        throw new AssertionError("no " + eventName + " in the recorded " + batch + " batch");
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) EventCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MappingResult map(JsonNode event) {
        return EventMapper.map(new RawEnvelope("p1", "e1", RECEIVED_AT, "203.0.113.9", "http-ua", WireFormat.POSTHOG, event));
    }

    static Event mapped(JsonNode event) {
        MappingResult result = map(event);
        if (result instanceof MappingResult.Mapped m) {
            return m.event();
        }
        throw new AssertionError("expected a mapped event, got " + result);
    }

    static Rejection rejected(JsonNode event) {
        MappingResult result = map(event);
        if (result instanceof MappingResult.Rejected r) {
            return r.rejection();
        }
        throw new AssertionError("expected a rejection, got " + result);
    }

    static List<JsonNode> items(IncomingRequest.Split split) {
        if (split instanceof IncomingRequest.Split.Items items) {
            return items.items();
        }
        throw new AssertionError("expected items, got " + split);
    }

    private static JsonNode load(String path) {
        try (InputStream in = PostHogFixtures.class.getResourceAsStream(path)) {
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
