package io.beacon.ml;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.List;
import java.util.Map;

/** Test fixtures: events with only the fields the models read. */
public final class Fixtures {
    public static final long DAY = 86_400_000L;
    public static final long HOUR = 3_600_000L;
    /** 2026-10-01T00:00:00Z. */
    public static final long T0 = 1_790_812_800_000L;

    private Fixtures() {
    }

    /** An event named {@code name} at {@code timeMs} in session {@code session}, with revenue when positive. */
    public static Event event(String name, long timeMs, String session, double revenue) {
        Map<String, Object> props = revenue > 0 ? Map.of("revenue", revenue) : Map.of();
        return new Event("e-" + name + "-" + timeMs + "-" + session, "p1", EventType.TRACK, name, "u", null, session, timeMs, timeMs,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, props, Map.of(), List.of(), "u");
    }

    /** An identify-like event carrying one trait. */
    public static Event trait(String key, String value, long timeMs) {
        return new Event("t-" + key + "-" + timeMs, "p1", EventType.IDENTIFY, "$identify", "u", null, "s-trait", timeMs, timeMs,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, Map.of(), Map.of(key, value), List.of(), "u");
    }
}
