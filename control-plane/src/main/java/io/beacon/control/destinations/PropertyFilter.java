package io.beacon.control.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One condition on an event's properties ({@code {"property":"plan","op":"eq","value":"pro"}}).
 *
 * @param property the property name
 * @param op       the comparison
 * @param value    a string, number or boolean ({@code null} for {@link FilterOp#EXISTS}; a number for gt/lt)
 */
public record PropertyFilter(String property, FilterOp op, JsonNode value) {
    public PropertyFilter {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(op, "op");
    }

    /** Whether {@code properties} (the event's JSON object) satisfies this condition. */
    public boolean matches(JsonNode properties) {
        JsonNode actual = properties == null ? null : properties.get(property);
        boolean present = actual != null && !actual.isNull() && !actual.isMissingNode();
        return switch (op) {
            case EXISTS -> present;
            case EQ -> present && same(actual, value);
            case NEQ -> present && !same(actual, value);
            case GT -> present && actual.isNumber() && actual.asDouble() > value.asDouble();
            case LT -> present && actual.isNumber() && actual.asDouble() < value.asDouble();
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
