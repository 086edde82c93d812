package io.beacon.control.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What {@link PiiTransformer} does with a property's values before they are stored. */
public enum PiiClass {
    /** Stored as sent (after coercion). */
    NONE,
    /** All but the last 4 characters replaced by {@code *} (values under 8 characters fully). */
    MASK,
    /** Replaced by the hex HMAC-SHA256 under the project's PII secret: joinable, not reversible. */
    HASH,
    /** Removed. */
    DROP;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PiiClass fromWire(String value) {
        for (PiiClass c : values()) {
            if (c.wireName().equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of none|mask|hash|drop");
    }
}
