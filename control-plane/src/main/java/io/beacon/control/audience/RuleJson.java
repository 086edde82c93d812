package io.beacon.control.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The audience rule language (docs/audiences.md), read strictly for one {@link Evaluator}: unknown fields, wrong
 * JSON types, unknown operators or windows, invalid names, rules deeper than {@value #MAX_DEPTH} levels or with more
 * than {@value #MAX_NODES} nodes, and nodes the target cannot evaluate all fail with {@link InvalidDocumentException}
 * naming the JSON path of the first problem (for example {@code rule.and[1].event_count.window}).
 *
 * <p>A rule node is an object with exactly one key:
 * <pre>
 * {"and":[rule, …]}   {"or":[rule, …]}   {"not":rule}
 * {"event_count":{"event":"purchase","filters":[…]?,"window":"7d" | "days":30,"op":"gte","value":2}}
 * {"sequence":{"first":{"event","filters"?},"then":{"event","filters"?},"within":"PT1H","window":"30d" | "days":30}}
 * {"last_seen_within":"P1D"}   {"not_seen_for":"P3D"}           (ISO-8601 durations)
 * {"trait":{"name":"plan","op":"eq","value":"pro"}}             (value omitted for is_set / is_not_set)
 * {"score":{"name":"churn","op":"gte","value":0.8}}
 * {"revenue":{"window":"30d","op":"gte","value":100}}
 * </pre>
 */
public final class RuleJson {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_NODES = 100;
    /** The longest duration a recency rule or a sequence may name. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);
    /** The most calendar days a {@code days} span may name. */
    public static final int MAX_DAYS = 3660;
    /** The most values an {@code in} / {@code not_in} trait may list. */
    public static final int MAX_VALUES = 100;

    private static final String KINDS = "and, or, not, event_count, sequence, last_seen_within, not_seen_for, trait, score, revenue";
    private static final Set<String> COUNT_FIELDS = Set.of("event", "filters", "window", "days", "op", "value");
    private static final Set<String> SEQUENCE_FIELDS = Set.of("first", "then", "within", "window", "days");
    private static final Set<String> STEP_FIELDS = Set.of("event", "filters");
    private static final Set<String> TRAIT_FIELDS = Set.of("name", "op", "value");
    private static final Set<String> SCORE_FIELDS = Set.of("name", "op", "value");
    private static final Set<String> REVENUE_FIELDS = Set.of("window", "op", "value");

    private final Evaluator target;
    private final QueryChecks checks;
    private int nodes;

    private RuleJson(Evaluator target, QueryChecks checks) {
        this.target = target;
        this.checks = checks;
    }

    /** {@code node} read as a rule for the realtime engine; {@code path} names it in errors (e.g. {@code "rule"}). */
    public static Rule parseRealtime(JsonNode node, String path) {
        return new RuleJson(Evaluator.REALTIME, null).rule(node, path, 1);
    }

    /** {@code node} read as a rule for the query side, whose {@code checks} validate filters and traits. */
    public static Rule parseHistory(JsonNode node, String path, QueryChecks checks) {
        return new RuleJson(Evaluator.HISTORY, Objects.requireNonNull(checks, "checks")).rule(node, path, 1);
    }

    private Rule rule(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw InvalidDocumentException.of(path, "rules may nest at most " + MAX_DEPTH + " levels");
        }
        if (++nodes > MAX_NODES) {
            throw InvalidDocumentException.of(path, "a rule may have at most " + MAX_NODES + " nodes");
        }
        if (node == null || !node.isObject()) {
            throw InvalidDocumentException.of(path, "must be a rule object such as {\"and\":[…]} or {\"event_count\":{…}}");
        }
        if (node.size() != 1) {
            throw InvalidDocumentException.of(path, "must have exactly one key (" + KINDS + "), had " + node.size());
        }
        Map.Entry<String, JsonNode> only = node.fields().next();
        String kind = only.getKey();
        JsonNode v = only.getValue();
        String p = path + "." + kind;
        return switch (kind) {
            case "and" -> new Rule.And(children(v, p, depth));
            case "or" -> new Rule.Or(children(v, p, depth));
            case "not" -> new Rule.Not(rule(v, p, depth + 1));
            case "event_count" -> eventCount(v, p);
            case "sequence" -> sequence(v, p);
            case "last_seen_within" -> new Rule.LastSeenWithin(duration(v, p));
            case "not_seen_for" -> new Rule.NotSeenFor(duration(v, p));
            case "trait" -> trait(v, p);
            case "score" -> score(v, p);
            case "revenue" -> revenue(v, p);
            default -> throw InvalidDocumentException.of(path + "." + printable(kind), "unknown rule '" + printable(kind) + "' (" + KINDS + ")");
        };
    }

    private List<Rule> children(JsonNode v, String path, int depth) {
        if (v == null || !v.isArray()) {
            throw InvalidDocumentException.of(path, "must be an array of rules");
        }
        if (v.isEmpty()) {
            throw InvalidDocumentException.of(path, "must contain at least one rule");
        }
        List<Rule> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(rule(v.get(i), path + "[" + i + "]", depth + 1));
        }
        return out;
    }

    private Rule eventCount(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, COUNT_FIELDS, path + ".");
        EventMatch events = match(v, path);
        Span span = span(v, path);
        Cmp op = cmp(v, path);
        JsonNode value = v.get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw InvalidDocumentException.of(path + ".value", "must be a non-negative integer");
        }
        return new Rule.EventCount(events, span, op, value.asLong());
    }

    private Rule sequence(JsonNode v, String path) {
        if (target == Evaluator.REALTIME) {
            throw InvalidDocumentException.of(path, "realtime segments cannot evaluate sequences (the engine keeps counts, not event order); "
                    + "use a cohort");
        }
        requireObject(v, path);
        rejectUnknown(v, SEQUENCE_FIELDS, path + ".");
        JsonNode first = v.get("first");
        JsonNode then = v.get("then");
        requireObject(first, path + ".first");
        rejectUnknown(first, STEP_FIELDS, path + ".first.");
        requireObject(then, path + ".then");
        rejectUnknown(then, STEP_FIELDS, path + ".then.");
        EventMatch a = match(first, path + ".first");
        EventMatch b = match(then, path + ".then");
        Duration within = duration(v.get("within"), path + ".within");
        return new Rule.Sequence(a, b, within, span(v, path));
    }

    private EventMatch match(JsonNode v, String path) {
        JsonNode e = v.get("event");
        String event = null;
        if (e != null && !e.isNull()) {
            if (!e.isTextual()) {
                throw InvalidDocumentException.of(path + ".event", "must be a string");
            }
            event = e.asText();
            NameRules.checkName(event).ifPresent(m -> {
                throw InvalidDocumentException.of(path + ".event", m);
            });
        } else if (target == Evaluator.REALTIME) {
            throw InvalidDocumentException.of(path + ".event", "is required: realtime segments count events by name");
        }
        JsonNode f = v.get("filters");
        ArrayNode filters = null;
        if (f != null && !f.isNull()) {
            if (!f.isArray()) {
                throw InvalidDocumentException.of(path + ".filters", "must be an array of filters");
            }
            if (!f.isEmpty() && target == Evaluator.REALTIME) {
                throw InvalidDocumentException.of(path + ".filters", "realtime segments count events by name; event filters are "
                        + "evaluated by cohorts only");
            }
            filters = (ArrayNode) f;
            if (checks != null) {
                checks.filters(filters, path + ".filters");
            }
        }
        return new EventMatch(event, filters);
    }

    private Span span(JsonNode v, String path) {
        boolean hasWindow = v.hasNonNull("window");
        boolean hasDays = v.hasNonNull("days");
        if (hasWindow && hasDays) {
            throw InvalidDocumentException.of(path + ".days", "give either window (rolling) or days (calendar days), not both");
        }
        if (hasDays) {
            if (target == Evaluator.REALTIME) {
                throw InvalidDocumentException.of(path + ".days", "realtime segments count over rolling windows (window: 1h, 24h, 7d, "
                        + "30d, all); calendar days in the project's zone are evaluated by cohorts only");
            }
            JsonNode d = v.get("days");
            if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > MAX_DAYS) {
                throw InvalidDocumentException.of(path + ".days", "must be an integer 1–" + MAX_DAYS);
            }
            return new Span.Days(d.asInt());
        }
        return new Span.Rolling(window(v, path));
    }

    private Rule trait(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, TRAIT_FIELDS, path + ".");
        String name = requiredText(v, "name", path);
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".name", m);
        });
        String opText = requiredText(v, "op", path);
        TraitOp op = TraitOp.fromWire(opText).orElseThrow(() -> InvalidDocumentException.of(path + ".op",
                "unknown operator '" + printable(opText) + "' (eq, neq, contains, not_contains, regex, not_regex, gt, gte, lt, lte, "
                        + "between, in, not_in, is_set, is_not_set)"));
        if (target == Evaluator.REALTIME && !op.realtime()) {
            throw InvalidDocumentException.of(path + ".op", op.wireName() + " is evaluated by cohorts only (ClickHouse and Java regular "
                    + "expressions differ)");
        }
        JsonNode value = v.get("value");
        if (!op.needsValue()) {
            if (value != null && !value.isNull()) {
                throw InvalidDocumentException.of(path + ".value", "must be absent for " + op.wireName());
            }
        } else {
            checkTraitValue(op, value, path + ".value");
        }
        if (checks != null) {
            checks.trait((ObjectNode) v, path);
        }
        return new Rule.TraitCondition(name, op, value == null || value.isNull() ? null : value.deepCopy());
    }

    private static void checkTraitValue(TraitOp op, JsonNode value, String field) {
        if (value == null || value.isNull()) {
            throw InvalidDocumentException.of(field, "is required for " + op.wireName());
        }
        switch (op) {
            case EQ, NEQ -> {
                if (!value.isValueNode()) {
                    throw InvalidDocumentException.of(field, "must be a string, number or boolean");
                }
            }
            case CONTAINS, NOT_CONTAINS, REGEX, NOT_REGEX -> {
                if (!value.isTextual()) {
                    throw InvalidDocumentException.of(field, "must be a string for " + op.wireName());
                }
            }
            case BETWEEN -> {
                if (!value.isArray() || value.size() != 2 || !value.get(0).isNumber() || !value.get(1).isNumber()
                        || value.get(0).asDouble() > value.get(1).asDouble()) {
                    throw InvalidDocumentException.of(field, "must be [low, high]: two numbers, low ≤ high");
                }
            }
            case IN, NOT_IN -> {
                if (!value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                    throw InvalidDocumentException.of(field, "must be an array of 1–" + MAX_VALUES + " values for " + op.wireName());
                }
                for (JsonNode e : value) {
                    if (!e.isValueNode() || e.isNull()) {
                        throw InvalidDocumentException.of(field, "must hold only strings, numbers or booleans");
                    }
                }
            }
            default -> {
                if (!(value.isNumber() || value.isTextual())) {
                    throw InvalidDocumentException.of(field, "must be a number or a string for " + op.wireName());
                }
            }
        }
    }

    private Rule score(JsonNode v, String path) {
        if (target == Evaluator.HISTORY) {
            throw InvalidDocumentException.of(path, "scores are kept by the engine only; use a realtime segment");
        }
        requireObject(v, path);
        rejectUnknown(v, SCORE_FIELDS, path + ".");
        String name = requiredText(v, "name", path);
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".name", m);
        });
        return new Rule.ScoreCondition(name, cmp(v, path), number(v, path));
    }

    private Rule revenue(JsonNode v, String path) {
        if (target == Evaluator.HISTORY) {
            throw InvalidDocumentException.of(path, "revenue is summed by the engine (its revenue property is engine configuration); "
                    + "use a realtime segment, or event_count with a filter on the revenue property");
        }
        requireObject(v, path);
        rejectUnknown(v, REVENUE_FIELDS, path + ".");
        return new Rule.RevenueCondition(window(v, path), cmp(v, path), number(v, path));
    }

    private static Window window(JsonNode v, String path) {
        String text = requiredText(v, "window", path);
        return Window.fromWire(text).orElseThrow(() -> InvalidDocumentException.of(path + ".window",
                "unknown window '" + printable(text) + "' (1h, 24h, 7d, 30d, all)"));
    }

    private static Cmp cmp(JsonNode v, String path) {
        String text = requiredText(v, "op", path);
        return Cmp.fromWire(text).orElseThrow(() -> InvalidDocumentException.of(path + ".op",
                "unknown operator '" + printable(text) + "' (gte, gt, lte, lt, eq)"));
    }

    private static double number(JsonNode v, String path) {
        JsonNode value = v.get("value");
        if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw InvalidDocumentException.of(path + ".value", "must be a finite number");
        }
        return value.asDouble();
    }

    private static Duration duration(JsonNode v, String path) {
        if (v == null || !v.isTextual()) {
            throw InvalidDocumentException.of(path, "must be an ISO-8601 duration string such as \"P3D\" or \"PT24H\"");
        }
        Duration d;
        try {
            d = Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw InvalidDocumentException.of(path, "'" + printable(v.asText()) + "' is not an ISO-8601 duration (e.g. \"P3D\", \"PT24H\")");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw InvalidDocumentException.of(path, "must be positive and at most " + MAX_DURATION.toDays() + " days");
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw InvalidDocumentException.of(path, "must be a whole number of milliseconds");
        }
        return d;
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The JSON of {@code rule} (the shape {@link #parseRealtime} / {@link #parseHistory} read). */
    public static ObjectNode toJson(Rule rule) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (rule instanceof Rule.And and) {
            ArrayNode a = o.putArray("and");
            and.rules().forEach(r -> a.add(toJson(r)));
        } else if (rule instanceof Rule.Or or) {
            ArrayNode a = o.putArray("or");
            or.rules().forEach(r -> a.add(toJson(r)));
        } else if (rule instanceof Rule.Not not) {
            o.set("not", toJson(not.rule()));
        } else if (rule instanceof Rule.EventCount c) {
            ObjectNode x = o.putObject("event_count");
            match(x, c.events());
            span(x, c.span());
            x.put("op", c.op().wireName());
            x.put("value", c.value());
        } else if (rule instanceof Rule.Sequence s) {
            ObjectNode x = o.putObject("sequence");
            match(x.putObject("first"), s.first());
            match(x.putObject("then"), s.then());
            x.put("within", durationText(s.within()));
            span(x, s.span());
        } else if (rule instanceof Rule.LastSeenWithin l) {
            o.put("last_seen_within", durationText(l.duration()));
        } else if (rule instanceof Rule.NotSeenFor n) {
            o.put("not_seen_for", durationText(n.duration()));
        } else if (rule instanceof Rule.TraitCondition t) {
            ObjectNode x = o.putObject("trait");
            x.put("name", t.trait());
            x.put("op", t.op().wireName());
            if (t.value() != null) {
                x.set("value", t.value());
            }
        } else if (rule instanceof Rule.ScoreCondition sc) {
            ObjectNode x = o.putObject("score");
            x.put("name", sc.score());
            x.put("op", sc.op().wireName());
            x.put("value", sc.value());
        } else if (rule instanceof Rule.RevenueCondition r) {
            ObjectNode x = o.putObject("revenue");
            x.put("window", r.window().wireName());
            x.put("op", r.op().wireName());
            x.put("value", r.value());
        } else {
            throw new IllegalStateException("unknown rule type " + rule.getClass());
        }
        return o;
    }

    private static void match(ObjectNode x, EventMatch m) {
        if (m.event() != null) {
            x.put("event", m.event());
        }
        if (m.filtered()) {
            x.set("filters", m.filters());
        }
    }

    private static void span(ObjectNode x, Span s) {
        if (s instanceof Span.Days d) {
            x.put("days", d.days());
        } else {
            x.put("window", s.rolling().wireName());
        }
    }

    /** {@code P3D} for whole days, otherwise {@link Duration#toString()} ({@code PT36H}). */
    public static String durationText(Duration d) {
        if (d.getNano() == 0 && d.getSeconds() % 86_400 == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    private static void requireObject(JsonNode v, String path) {
        if (v == null || !v.isObject()) {
            throw InvalidDocumentException.of(path, "must be a JSON object");
        }
    }

    private static void rejectUnknown(JsonNode v, Set<String> allowed, String prefix) {
        Iterator<String> names = v.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw InvalidDocumentException.of(prefix + printable(n), "unknown field '" + printable(n) + "'");
            }
        }
    }

    private static String requiredText(JsonNode v, String field, String path) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            throw InvalidDocumentException.of(path + "." + field, "is required");
        }
        if (!n.isTextual()) {
            throw InvalidDocumentException.of(path + "." + field, "must be a string");
        }
        return n.asText();
    }
}
