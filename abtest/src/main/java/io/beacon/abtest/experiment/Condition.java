package io.beacon.abtest.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A targeting condition evaluated against a unit's attributes, with the semantics of GrowthBook's
 * {@code evalCondition} (MongoDB-style): field paths with dots, {@code $and $or $nor $not}, and the
 * operators {@code $eq $ne $lt $lte $gt $gte $in $nin $exists $regex $elemMatch $size $all $type}.
 * Comparisons between a number and a numeric string compare numerically; a missing attribute compares
 * like JavaScript's {@code null} (as 0 against numbers). Segment targeting is the condition
 * "the {@code segments} attribute contains one of these ids".
 */
public final class Condition {
    /** The attribute that carries the unit's segment ids. */
    public static final String SEGMENTS_ATTRIBUTE = "segments";
    private static final Condition ALWAYS = new Condition(null);

    private final JsonNode condition;

    private Condition(JsonNode condition) {
        this.condition = condition;
    }

    /** The condition of {@code targeting} (trait condition and segment membership combined). */
    public static Condition of(Targeting targeting) {
        if (targeting == null) {
            return ALWAYS;
        }
        return of(targeting.condition(), targeting.segments());
    }

    public static Condition of(JsonNode traitCondition, List<String> segments) {
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        var and = all.putArray("$and");
        if (traitCondition != null && traitCondition.isObject() && !traitCondition.isEmpty()) {
            and.add(traitCondition);
        }
        if (segments != null && !segments.isEmpty()) {
            ObjectNode seg = and.addObject().putObject(SEGMENTS_ATTRIBUTE).putObject("$elemMatch");
            var in = seg.putArray("$in");
            segments.forEach(in::add);
        }
        return and.isEmpty() ? ALWAYS : new Condition(and.size() == 1 ? and.get(0) : all);
    }

    /** The condition as GrowthBook SDKs read it, or {@code null} when everyone matches. */
    public JsonNode json() {
        return condition;
    }

    public boolean matches(JsonNode attributes) {
        return condition == null || evalCondition(attributes, condition);
    }

    static boolean evalCondition(JsonNode attributes, JsonNode condition) {
        Iterator<Map.Entry<String, JsonNode>> it = condition.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            boolean ok = switch (k) {
                case "$or" -> evalOr(attributes, v);
                case "$nor" -> !evalOr(attributes, v);
                case "$and" -> evalAnd(attributes, v);
                case "$not" -> !evalCondition(attributes, v);
                default -> evalValue(v, path(attributes, k));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean evalOr(JsonNode attributes, JsonNode conditions) {
        if (!conditions.isArray() || conditions.isEmpty()) {
            return true;
        }
        for (JsonNode c : conditions) {
            if (evalCondition(attributes, c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean evalAnd(JsonNode attributes, JsonNode conditions) {
        for (JsonNode c : conditions) {
            if (!evalCondition(attributes, c)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode path(JsonNode attributes, String dotted) {
        JsonNode cur = attributes;
        int start = 0;
        while (cur != null) {
            int dot = dotted.indexOf('.', start);
            String part = dot < 0 ? dotted.substring(start) : dotted.substring(start, dot);
            cur = cur.isObject() ? cur.get(part) : null;
            if (dot < 0) {
                return cur;
            }
            start = dot + 1;
        }
        return null;
    }

    private static boolean isOperatorObject(JsonNode n) {
        if (!n.isObject() || n.isEmpty()) {
            return false;
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            if (!names.next().startsWith("$")) {
                return false;
            }
        }
        return true;
    }

    private static boolean evalValue(JsonNode condition, JsonNode value) {
        if (isOperatorObject(condition)) {
            Iterator<Map.Entry<String, JsonNode>> it = condition.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> op = it.next();
                if (!evalOperator(op.getKey(), value, op.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return value != null && value.equals(condition);
    }

    private static boolean evalOperator(String op, JsonNode actual, JsonNode expected) {
        return switch (op) {
            case "$eq" -> actual != null && compare(actual, expected) == 0;
            case "$ne" -> actual == null || compare(actual, expected) != 0;
            case "$lt" -> compare(actual, expected) < 0;
            case "$lte" -> compare(actual, expected) <= 0;
            case "$gt" -> compare(actual, expected) > 0 && compare(actual, expected) != Integer.MIN_VALUE;
            case "$gte" -> compare(actual, expected) >= 0 && compare(actual, expected) != Integer.MIN_VALUE;
            case "$exists" -> expected.asBoolean() == (actual != null && !actual.isNull());
            case "$in" -> expected.isArray() && in(actual, expected);
            case "$nin" -> expected.isArray() && !in(actual, expected);
            case "$regex" -> actual != null && actual.isValueNode() && regex(expected.asText(), actual.asText());
            case "$elemMatch" -> elemMatch(actual, expected);
            case "$size" -> actual != null && actual.isArray() && evalValue(expected, JsonNodeFactory.instance.numberNode(actual.size()));
            case "$all" -> actual != null && actual.isArray() && all(actual, expected);
            case "$not" -> !evalValue(expected, actual);
            case "$type" -> type(actual).equals(expected.asText());
            default -> false;
        };
    }

    /** Sign of actual − expected; {@link Integer#MIN_VALUE} when they cannot be compared (always false). */
    private static int compare(JsonNode actual, JsonNode expected) {
        JsonNode a = actual == null || actual.isNull() ? null : actual;
        if (expected.isNumber() || (a != null && a.isNumber())) {
            Double x = a == null ? Double.valueOf(0) : number(a);
            Double y = number(expected);
            if (x == null || y == null) {
                return Integer.MIN_VALUE;
            }
            return Double.compare(x, y);
        }
        if (a == null) {
            return Integer.MIN_VALUE;
        }
        if (a.isTextual() && expected.isTextual()) {
            return Integer.signum(a.asText().compareTo(expected.asText()));
        }
        return a.equals(expected) ? 0 : Integer.MIN_VALUE;
    }

    private static Double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? 1.0 : 0.0;
        }
        return null;
    }

    private static boolean in(JsonNode actual, JsonNode list) {
        if (actual == null) {
            return false;
        }
        if (actual.isArray()) {
            for (JsonNode a : actual) {
                if (contains(list, a)) {
                    return true;
                }
            }
            return false;
        }
        return contains(list, actual);
    }

    private static boolean contains(JsonNode list, JsonNode v) {
        for (JsonNode x : list) {
            if (x.equals(v) || (x.isNumber() && v.isNumber() && x.asDouble() == v.asDouble())) {
                return true;
            }
        }
        return false;
    }

    private static boolean elemMatch(JsonNode actual, JsonNode expected) {
        if (actual == null || !actual.isArray()) {
            return false;
        }
        boolean operators = isOperatorObject(expected);
        for (JsonNode el : actual) {
            if (operators ? evalValue(expected, el) : evalCondition(el, expected)) {
                return true;
            }
        }
        return false;
    }

    private static boolean all(JsonNode actual, JsonNode expected) {
        if (!expected.isArray()) {
            return false;
        }
        for (JsonNode e : expected) {
            boolean found = false;
            for (JsonNode a : actual) {
                if (evalValue(e, a)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean regex(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static String type(JsonNode n) {
        if (n == null) {
            return "undefined";
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        return n.isArray() ? "array" : "object";
    }
}
