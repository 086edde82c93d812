package io.beacon.warehouse;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events for tests: a minimal one and one with every field set. */
public final class EventFixtures {

    /** 2026-10-01T12:00:00.123Z */
    public static final long EVENT_TIME = 1_790_856_000_123L;
    /** 2026-10-01T12:00:01.456Z */
    public static final long RECEIVED_AT = 1_790_856_001_456L;

    private EventFixtures() {
    }

    /** A track event with only the required fields and an anonymous id. */
    public static Event minimal(String projectId, String eventId) {
        return new Event(eventId, projectId, EventType.TRACK, "signup", null, "anon-1", null,
                EVENT_TIME, RECEIVED_AT, null, null,
                null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /** An event with every field set, awkward characters included. */
    public static Event full(String projectId, String eventId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("plan", "pro");
        properties.put("price", 12.5);
        properties.put("seats", 3);
        properties.put("trial", true);
        properties.put("tags", List.of("a", "b"));
        properties.put("nested", Map.of("k", "v"));
        properties.put("nothing", null);
        properties.put("quote", "say \"hi\" \\ back\tslash\nnew line");
        properties.put("unicode", "Zürich 東京 🚀");
        Map<String, Object> traits = new LinkedHashMap<>();
        traits.put("email", "ada@example.com");
        traits.put("age", 36);
        return new Event(eventId, projectId, EventType.PAGE, "$pageview", "user-42", "device-7", "session-9",
                EVENT_TIME, RECEIVED_AT, EVENT_TIME - 500, EVENT_TIME + 200,
                "web", "CH", "ZH", "Zürich", "MacBookPro18,3", "macOS", "14.5", "2.3.1",
                "https://example.com/pricing?x=1", "Pricing — Example", "/pricing", "https://google.com/",
                "203.0.113.7", "Mozilla/5.0 (Macintosh)", "analytics.js", "4.1.0", "group-1", "prev-1",
                properties, traits, List.of("clock_skew_corrected"), "user-42");
    }

    /** A track event {@code purchase} of {@code projectId} with the given properties. */
    public static Event withProperties(String projectId, String eventId, Map<String, Object> properties) {
        return new Event(eventId, projectId, EventType.TRACK, "purchase", "user-1", null, null,
                EVENT_TIME, RECEIVED_AT, null, null,
                null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null,
                properties, null, null, null);
    }
}
