package io.beacon.control.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The lifecycle of an event definition. {@code draft} and {@code live} are enforced alike (a draft is
 * a planned event that may already be sent); {@code deprecated} passes flagged; {@code blocked} is
 * rejected in every mode.
 */
public enum EventStatus {
    DRAFT, LIVE, DEPRECATED, BLOCKED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventStatus fromWire(String value) {
        for (EventStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of draft|live|deprecated|blocked");
    }
}
