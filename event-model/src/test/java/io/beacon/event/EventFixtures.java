package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Fixture factories shared by the event-model tests. */
final class EventFixtures {
    static final long RECEIVED_AT = 1_795_000_000_000L;

    private EventFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return EventCodec.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode resource(String path) {
        try (InputStream in = EventFixtures.class.getResourceAsStream(path)) {
            return (ObjectNode) EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MappingResult mapSegment(String itemJson) {
        return EventMapper.map(new RawEnvelope("p1", "e1", RECEIVED_AT, "127.0.0.1", "ua", WireFormat.SEGMENT, json(itemJson)));
    }

    static MappingResult mapNative(String itemJson) {
        return EventMapper.map(new RawEnvelope("p1", "e1", RECEIVED_AT, "127.0.0.1", "ua", WireFormat.NATIVE, json(itemJson)));
    }

    static Rejection rejection(MappingResult result) {
        if (result instanceof MappingResult.Rejected r) {
            return r.rejection();
        }
        throw new AssertionError("expected a rejection, got " + result);
    }

    static Event event(MappingResult result) {
        if (result instanceof MappingResult.Mapped m) {
            return m.event();
        }
        throw new AssertionError("expected an event, got " + result);
    }
}
