package io.beacon.abtest;

import com.fasterxml.jackson.databind.JsonNode;

/** How a unit's attributes read as text: what assignment hashes and what exposure events record. Pure. */
public final class UnitAttributes {
    private UnitAttributes() {
    }

    /** The attribute as the hashed string, like JavaScript's {@code String(value)}; null when missing or empty. */
    public static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.isNumber() && v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.asText();
        return s.isEmpty() ? null : s;
    }
}
