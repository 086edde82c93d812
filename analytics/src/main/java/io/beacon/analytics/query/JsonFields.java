package io.beacon.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The strict reading of JSON fields every analytics parser shares (queries, cohort rules): each refusal is an
 * {@link InvalidQueryException} naming the field's JSON path. Pure.
 */
public final class JsonFields {
    /** The longest text value a query may hold. */
    static final int MAX_TEXT = 1_000;

    private JsonFields() {
    }

    public static ObjectNode object(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidQueryException(field.isEmpty() ? "body" : field, "is required");
        }
        if (!node.isObject()) {
            throw new InvalidQueryException(field.isEmpty() ? "body" : field, "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public static void allowOnly(ObjectNode node, String field, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                String path = field.isEmpty() ? name : field + "." + name;
                throw new InvalidQueryException(PropertyRef.printable(path), "unknown field (allowed: " + String.join(", ", names) + ")");
            }
        }
    }

    public static String text(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidQueryException(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidQueryException(field, "must be a string");
        }
        String s = node.asText();
        if (s.length() > MAX_TEXT) {
            throw new InvalidQueryException(field, "is longer than " + MAX_TEXT + " characters");
        }
        return s;
    }

    public static int integer(JsonNode node, String field, int min, int max, Integer dflt) {
        if (node == null || node.isNull()) {
            if (dflt == null) {
                throw new InvalidQueryException(field, "is required");
            }
            return dflt;
        }
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw new InvalidQueryException(field, "must be an integer " + min + "–" + max);
        }
        return node.asInt();
    }
}
