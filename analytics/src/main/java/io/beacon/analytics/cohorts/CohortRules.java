package io.beacon.analytics.cohorts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.Filter;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.analytics.query.JsonFields;
import io.beacon.analytics.query.PropertyRef;
import io.beacon.analytics.query.QueryParser;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.audience.QueryChecks;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.RuleJson;
import io.beacon.control.audience.Span;
import io.beacon.control.audience.TraitOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cohort's definition JSON → the audience {@link Rule} (pure), strictly: unknown fields, wrong types and
 * out-of-range numbers are refused with an {@link InvalidQueryException} naming the JSON path. Two spellings:
 * <ul>
 *   <li>the audience rule language ({@link RuleJson}, docs/audiences.md) — the same JSON a realtime segment takes,
 *       read for the query side ({@link RuleJson#parseHistory}); event filters and traits are validated by the
 *       analyses' filter grammar;</li>
 *   <li>the cohorts' first spelling, an object with a {@code "type"} (kept so stored cohorts and clients keep
 *       working), read into the same tree:
 * <pre>
 * {"type": "and" | "or", "rules": [ … 1–20 … ]}
 * {"type": "not", "rule": { … }}
 * {"type": "performed", "event": "purchase", "filters": [ … ], "op": "gte" | "lte" | "eq", "count": 3, "days": 30}
 * {"type": "not_performed", "event": "purchase", "filters": [ … ], "days": 30}
 * {"type": "sequence", "first": {"event", "filters"}, "then": {"event", "filters"}, "within": {"value": 1, "unit": "day"}, "days": 30}
 * {"type": "person_property", "property": "person.plan", "op": "eq", "value": "pro"}
 * </pre>
 *       {@code days} is 1–3660; {@code count} 0–1,000,000; at most {@value #MAX_DEPTH} levels and
 *       {@value #MAX_CONDITIONS} conditions.</li>
 * </ul>
 * Filters use the analyses' filter grammar, without cohort filters.
 */
public final class CohortRules {
    public static final int MAX_DEPTH = 6;
    public static final int MAX_CONDITIONS = 50;
    public static final int MAX_DAYS = 3660;

    private CohortRules() {
    }

    public static Rule parse(JsonNode node, String field) {
        if (node != null && node.isObject() && node.has("type")) {
            int[] conditions = {0};
            return QueryParser.withoutCohorts(() -> rule(node, field, 1, conditions));
        }
        try {
            return QueryParser.withoutCohorts(() -> RuleJson.parseHistory(node, field, CHECKS));
        } catch (InvalidDocumentException e) {
            throw new InvalidQueryException(e.first().field(), e.first().message());
        }
    }

    /** The query side's checks of event filters and traits: the analyses' filter grammar. */
    private static final QueryChecks CHECKS = new QueryChecks() {
        @Override
        public void filters(ArrayNode filters, String field) {
            QueryParser.parseFilters(filters, field);
        }

        @Override
        public void trait(ObjectNode condition, String field) {
            personFilter(condition.get("name").asText(), condition, field);
        }
    };

    /** The person-property filter a trait condition compiles to (validated; errors name {@code field.name/op/value}). */
    static Filter personFilter(String name, JsonNode condition, String field) {
        ObjectNode filter = JsonNodeFactory.instance.objectNode();
        filter.put("property", "person." + name);
        filter.set("op", condition.get("op"));
        if (condition.hasNonNull("value")) {
            filter.set("value", condition.get("value"));
        }
        try {
            return QueryParser.parseFilters(JsonNodeFactory.instance.arrayNode().add(filter), "@").get(0);
        } catch (InvalidQueryException e) {
            String f = e.field().replace("@[0].property", field + ".name").replace("@[0]", field);
            throw new InvalidQueryException(f, e.reason());
        }
    }

    private static Rule rule(JsonNode node, String field, int depth, int[] conditions) {
        if (depth > MAX_DEPTH) {
            throw new InvalidQueryException(field, "rules nest at most " + MAX_DEPTH + " levels");
        }
        ObjectNode o = JsonFields.object(node, field);
        String type = JsonFields.text(o.get("type"), field + ".type", true);
        switch (type) {
            case "and", "or" -> {
                JsonFields.allowOnly(o, field, "type", "rules");
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
                JsonFields.allowOnly(o, field, "type", "rule");
                return new Rule.Not(rule(o.get("rule"), field + ".rule", depth + 1, conditions));
            }
            case "performed" -> {
                count(conditions, field);
                JsonFields.allowOnly(o, field, "type", "event", "filters", "op", "count", "days");
                String op = o.hasNonNull("op") ? JsonFields.text(o.get("op"), field + ".op", true) : "gte";
                Cmp countOp = switch (op) {
                    case "gte" -> Cmp.GTE;
                    case "lte" -> Cmp.LTE;
                    case "eq" -> Cmp.EQ;
                    default -> throw new InvalidQueryException(field + ".op", "must be gte (at least), lte (at most) or eq (exactly)");
                };
                int count = JsonFields.integer(o.get("count"), field + ".count", 0, 1_000_000, 1);
                return new Rule.EventCount(selector(o, field), new Span.Days(days(o, field)), countOp, count);
            }
            case "not_performed" -> {
                count(conditions, field);
                JsonFields.allowOnly(o, field, "type", "event", "filters", "days");
                return new Rule.EventCount(selector(o, field), new Span.Days(days(o, field)), Cmp.EQ, 0);
            }
            case "sequence" -> {
                count(conditions, field);
                JsonFields.allowOnly(o, field, "type", "first", "then", "within", "days");
                ObjectNode first = JsonFields.object(o.get("first"), field + ".first");
                JsonFields.allowOnly(first, field + ".first", "event", "filters");
                ObjectNode then = JsonFields.object(o.get("then"), field + ".then");
                JsonFields.allowOnly(then, field + ".then", "event", "filters");
                long within = QueryParser.parseWindow(o.get("within"), field + ".within");
                return new Rule.Sequence(selector(first, field + ".first"), selector(then, field + ".then"), Duration.ofMillis(within),
                        new Span.Days(days(o, field)));
            }
            case "person_property" -> {
                count(conditions, field);
                JsonFields.allowOnly(o, field, "type", "property", "op", "value");
                ObjectNode filter = o.deepCopy();
                filter.remove("type");
                Filter f = QueryParser.parseFilters(JsonNodeFactory.instance.arrayNode().add(filter), field).get(0);
                if (f.property().kind() != PropertyRef.Kind.PERSON_PROPERTY) {
                    throw new InvalidQueryException(field + ".property", "must be a person property (person.<key>)");
                }
                return new Rule.TraitCondition(f.property().name(), TraitOp.fromWire(f.op().wire()).orElseThrow(),
                        o.hasNonNull("value") ? o.get("value").deepCopy() : null);
            }
            default -> throw new InvalidQueryException(field + ".type",
                    "unknown rule type (and, or, not, performed, not_performed, sequence, person_property)");
        }
    }

    private static EventMatch selector(ObjectNode o, String field) {
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
        QueryParser.parseSelector(s, field);
        return new EventMatch(s.get("event").asText(), s.has("filters") && s.get("filters").isArray() ? (ArrayNode) s.get("filters") : null);
    }

    private static int days(ObjectNode o, String field) {
        return JsonFields.integer(o.get("days"), field + ".days", 1, MAX_DAYS, null);
    }

    private static void count(int[] conditions, String field) {
        if (++conditions[0] > MAX_CONDITIONS) {
            throw new InvalidQueryException(field, "a cohort has at most " + MAX_CONDITIONS + " conditions");
        }
    }
}
