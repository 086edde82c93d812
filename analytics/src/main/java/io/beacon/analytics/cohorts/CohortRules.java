package io.beacon.analytics.cohorts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.EventSelector;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.analytics.query.PropertyRef;
import io.beacon.analytics.query.QueryParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * JSON → {@link Rule}, strictly (unknown fields, wrong types and out-of-range numbers are refused with an
 * {@link InvalidQueryException} naming the JSON path). Pure. Wire format:
 * <pre>
 * {"type": "and" | "or", "rules": [ … 1–20 … ]}
 * {"type": "not", "rule": { … }}
 * {"type": "performed", "event": "purchase", "filters": [ … ], "op": "gte" | "lte" | "eq", "count": 3, "days": 30}
 * {"type": "not_performed", "event": "purchase", "filters": [ … ], "days": 30}
 * {"type": "sequence", "first": {"event", "filters"}, "then": {"event", "filters"}, "within": {"value": 1, "unit": "day"}, "days": 30}
 * {"type": "person_property", "property": "person.plan", "op": "eq", "value": "pro"}
 * </pre>
 * Filters use the analyses' filter grammar, without cohort filters. {@code days} is 1–3660; {@code count} 0–1,000,000;
 * at most {@value #MAX_DEPTH} levels and {@value #MAX_CONDITIONS} conditions.
 */
public final class CohortRules {
    public static final int MAX_DEPTH = 6;
    public static final int MAX_CONDITIONS = 50;
    public static final int MAX_DAYS = 3660;

    private CohortRules() {
    }

    public static Rule parse(JsonNode node, String field) {
        int[] conditions = {0};
        return QueryParser.withoutCohorts(() -> rule(node, field, 1, conditions));
    }

    private static Rule rule(JsonNode node, String field, int depth, int[] conditions) {
        if (depth > MAX_DEPTH) {
            throw new InvalidQueryException(field, "rules nest at most " + MAX_DEPTH + " levels");
        }
        ObjectNode o = object(node, field);
        String type = text(o.get("type"), field + ".type");
        switch (type) {
            case "and", "or" -> {
                allowOnly(o, field, "type", "rules");
                JsonNode rules = o.get("rules");
                if (rules == null || !rules.isArray() || rules.isEmpty() || rules.size() > 20) {
                    throw new InvalidQueryException(field + ".rules", "must be an array of 1–20 rules");
                }
                List<Rule> out = new ArrayList<>();
                for (int i = 0; i < rules.size(); i++) {
                    out.add(rule(rules.get(i), field + ".rules[" + i + "]", depth + 1, conditions));
                }
                return type.equals("and") ? new Rule.And(out) : new Rule.Or(out);
            }
            case "not" -> {
                allowOnly(o, field, "type", "rule");
                return new Rule.Not(rule(o.get("rule"), field + ".rule", depth + 1, conditions));
            }
            case "performed" -> {
                count(conditions, field);
                allowOnly(o, field, "type", "event", "filters", "op", "count", "days");
                String op = o.hasNonNull("op") ? text(o.get("op"), field + ".op") : "gte";
                Rule.CountOp countOp = switch (op) {
                    case "gte" -> Rule.CountOp.GTE;
                    case "lte" -> Rule.CountOp.LTE;
                    case "eq" -> Rule.CountOp.EQ;
                    default -> throw new InvalidQueryException(field + ".op", "must be gte (at least), lte (at most) or eq (exactly)");
                };
                int count = integer(o.get("count"), field + ".count", 0, 1_000_000, 1);
                return new Rule.Performed(selector(o, field), countOp, count, days(o, field));
            }
            case "not_performed" -> {
                count(conditions, field);
                allowOnly(o, field, "type", "event", "filters", "days");
                return new Rule.NotPerformed(selector(o, field), days(o, field));
            }
            case "sequence" -> {
                count(conditions, field);
                allowOnly(o, field, "type", "first", "then", "within", "days");
                ObjectNode first = object(o.get("first"), field + ".first");
                allowOnly(first, field + ".first", "event", "filters");
                ObjectNode then = object(o.get("then"), field + ".then");
                allowOnly(then, field + ".then", "event", "filters");
                long within = QueryParser.parseWindow(o.get("within"), field + ".within");
                return new Rule.Sequence(selector(first, field + ".first"), selector(then, field + ".then"), within, days(o, field));
            }
            case "person_property" -> {
                count(conditions, field);
                allowOnly(o, field, "type", "property", "op", "value");
                ObjectNode filter = o.deepCopy();
                filter.remove("type");
                Filter f = QueryParser.parseFilters(JsonNodeFactory.instance.arrayNode().add(filter), field).get(0);
                if (f.property().kind() != PropertyRef.Kind.PERSON_PROPERTY) {
                    throw new InvalidQueryException(field + ".property", "must be a person property (person.<key>)");
                }
                return new Rule.PersonProperty(f);
            }
            default -> throw new InvalidQueryException(field + ".type",
                    "unknown rule type (and, or, not, performed, not_performed, sequence, person_property)");
        }
    }

    private static EventSelector selector(ObjectNode o, String field) {
        // Field names of errors inside the selector are "<field>.event" / "<field>.filters[i]…".
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        if (o.has("event")) {
            s.set("event", o.get("event"));
        }
        if (o.has("filters")) {
            s.set("filters", o.get("filters"));
        }
        if (!s.hasNonNull("event")) {
            throw new InvalidQueryException(field + ".event", "is required");
        }
        return QueryParser.parseSelector(s, field);
    }

    private static int days(ObjectNode o, String field) {
        return integer(o.get("days"), field + ".days", 1, MAX_DAYS, null);
    }

    private static void count(int[] conditions, String field) {
        if (++conditions[0] > MAX_CONDITIONS) {
            throw new InvalidQueryException(field, "a cohort has at most " + MAX_CONDITIONS + " conditions");
        }
    }

    private static ObjectNode object(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidQueryException(field, "is required");
        }
        if (!node.isObject()) {
            throw new InvalidQueryException(field, "must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidQueryException(field, "is required");
        }
        if (!node.isTextual()) {
            throw new InvalidQueryException(field, "must be a string");
        }
        return node.asText();
    }

    private static int integer(JsonNode node, String field, int min, int max, Integer dflt) {
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

    private static void allowOnly(ObjectNode node, String field, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new InvalidQueryException(field + "." + name.replaceAll("\\p{Cntrl}", "?"),
                        "unknown field (allowed: " + String.join(", ", names) + ")");
            }
        }
    }
}
