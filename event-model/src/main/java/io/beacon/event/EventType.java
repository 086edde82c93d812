package io.beacon.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The kinds of call the Segment spec defines; native events are {@link #TRACK}. */
public enum EventType {
    TRACK, IDENTIFY, PAGE, SCREEN, GROUP, ALIAS;

    /** The lower-case wire name used by Segment ("track", "identify", …). */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static EventType fromJson(String value) {
        return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown event type: " + value));
    }

    /** Parses a Segment {@code type} value; empty when it names no known call. */
    public static Optional<EventType> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (EventType t : values()) {
            if (t.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The event name stored for calls that carry none of their own, following PostHog's
     * {@code $}-prefixed names so that analyses can refer to them uniformly.
     */
    public String implicitEventName() {
        return switch (this) {
            case TRACK -> null;
            case IDENTIFY -> "$identify";
            case PAGE -> "$pageview";
            case SCREEN -> "$screen";
            case GROUP -> "$groupidentify";
            case ALIAS -> "$create_alias";
        };
    }
}
