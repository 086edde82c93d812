package io.beacon.control.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The type of a property's values; see {@link TypeCoercion} for what each accepts. */
public enum PropertyType {
    STRING, NUMBER, BOOLEAN, DATETIME, LIST;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PropertyType fromWire(String value) {
        for (PropertyType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of string|number|boolean|datetime|list");
    }
}
