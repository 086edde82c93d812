package io.beacon.engine.state;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.List;
import java.util.Map;

/** Event factories shared by the engine core tests. */
public final class StateFixtures {
    /** 2026-11-27T10:17:23.456Z: deliberately not on a bucket boundary. */
    public static final long T0 = 1_795_774_643_456L;

    private StateFixtures() {
    }

    /** A track event of {@code name} at {@code eventTime}, received at the same instant. */
    public static Event track(String eventId, String name, long eventTime) {
        return event(eventId, EventType.TRACK, name, eventTime, eventTime, "s1", Map.of(), Map.of());
    }

    public static Event track(String eventId, String name, long eventTime, String sessionId, Map<String, Object> properties) {
        return event(eventId, EventType.TRACK, name, eventTime, eventTime, sessionId, properties, Map.of());
    }

    public static Event identify(String eventId, long eventTime, Map<String, Object> traits) {
        return event(eventId, EventType.IDENTIFY, "$identify", eventTime, eventTime, "s1", Map.of(), traits);
    }

    public static Event event(String eventId, EventType type, String name, long eventTime, long receivedAt, String sessionId,
                              Map<String, Object> properties, Map<String, Object> traits) {
        return new Event(eventId, "shop", type, name, "u1", null, sessionId, eventTime, receivedAt, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, properties, traits, List.of(), "u1");
    }
}
