package io.beacon.control.project;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a project treats events and properties the registry does not know.
 * {@code permissive}: they pass, flagged. {@code strict}: they are rejected (see {@code EventValidator}).
 */
public enum EnforcementMode {
    PERMISSIVE, STRICT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EnforcementMode fromWire(String value) {
        for (EnforcementMode m : values()) {
            if (m.wireName().equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of permissive|strict");
    }
}
