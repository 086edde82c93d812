package io.beacon.control.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.store.ConfigEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of segment definitions and rules (docs/segments.md). Parsing is strict: unknown fields,
 * wrong JSON types, unknown operators or windows, invalid names, rules deeper than
 * {@value #MAX_DEPTH} levels or with more than {@value #MAX_NODES} nodes all fail with
 * {@link InvalidDocumentException} naming the JSON path of the first problem (for example
 * {@code rule.and[1].event_count.window}).
 *
 * <p>A rule node is an object with exactly one key:
 * <pre>
 * {"and":[rule, …]}   {"or":[rule, …]}   {"not":rule}
 * {"event_count":{"event":"purchase","window":"7d","op":"gte","value":2}}
 * {"last_seen_within":"P1D"}   {"not_seen_for":"P3D"}           (ISO-8601 durations)
 * {"trait":{"name":"plan","op":"eq","value":"pro"}}             (value omitted for is_set / is_not_set)
 * {"score":{"name":"churn","op":"gte","value":0.8}}
 * {"revenue":{"window":"30d","op":"gte","value":100}}
 * </pre>
 */
public final class SegmentJson {
    public static final int MAX_DEPTH = 10;
    public static final int MAX_NODES = 100;
    /** The longest duration a recency rule may name. */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);
    public static final int MAX_DESCRIPTION_LENGTH = 2000;

    private static final Set<String> BODY_FIELDS = Set.of("id", "project_id", "name", "description", "rule", "version", "updated_at");
    private static final Set<String> COUNT_FIELDS = Set.of("event", "window", "op", "value");
    private static final Set<String> TRAIT_FIELDS = Set.of("name", "op", "value");
    private static final Set<String> SCORE_FIELDS = Set.of("name", "op", "value");
    private static final Set<String> REVENUE_FIELDS = Set.of("window", "op", "value");

    private SegmentJson() {
    }

    // ---- definitions ---------------------------------------------------------------------------

    /**
     * A definition from an API body {@code {"id"?,"name","description"?,"rule"}} ({@code version},
     * {@code updated_at} and a matching {@code project_id} are accepted and ignored, so a GET answer
     * can be sent back). {@code id} overrides/fills the body's id (from the path or generated).
     */
    public static SegmentDefinition parseBody(JsonNode body, String projectId, String id) {
        if (body == null || !body.isObject()) {
            throw InvalidDocumentException.of("body", "must be a JSON object");
        }
        rejectUnknown(body, BODY_FIELDS, "");
        JsonNode pid = body.get("project_id");
        if (pid != null && !pid.isNull() && !(pid.isTextual() && pid.asText().equals(projectId))) {
            throw InvalidDocumentException.of("project_id", "must be the project of the secret key ('" + projectId + "')");
        }
        String bodyId = optionalText(body, "id", "id");
        if (bodyId != null && id != null && !bodyId.equals(id)) {
            throw InvalidDocumentException.of("id", "must match the id in the path ('" + id + "')");
        }
        String theId = id != null ? id : bodyId;
        SegmentDefinition.checkId(theId).ifPresent(m -> {
            throw InvalidDocumentException.of("id", m);
        });
        String name = optionalText(body, "name", "name");
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of("name", m);
        });
        String description = optionalText(body, "description", "description");
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw InvalidDocumentException.of("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        JsonNode rule = body.get("rule");
        if (rule == null || rule.isNull()) {
            throw InvalidDocumentException.of("rule", "is required");
        }
        return new SegmentDefinition(projectId, theId, name, description, parseRule(rule, "rule"), 0, 0);
    }

    /** The stored document: {@code {"id","name","description"?,"rule","updated_at"}} (the store adds {@code version}). */
    public static ObjectNode toDocument(SegmentDefinition def) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", def.id());
        o.put("name", def.name());
        if (def.description() != null) {
            o.put("description", def.description());
        }
        o.set("rule", toJson(def.rule()));
        o.put("updated_at", Instant.ofEpochMilli(def.updatedAtMs()).toString());
        return o;
    }

    /** The API answer: the document plus {@code project_id} and {@code version}. */
    public static ObjectNode toApiJson(SegmentDefinition def) {
        ObjectNode o = toDocument(def);
        o.put("project_id", def.projectId());
        o.put("version", def.version());
        return o;
    }

    /**
     * A stored entry read back (project from the key, version from the entry).
     *
     * @throws InvalidDocumentException when the document is not a valid segment
     */
    public static SegmentDefinition fromEntry(ConfigEntry entry) {
        JsonNode doc = entry.document();
        SegmentDefinition def = parseBody(doc, entry.key().project(), entry.key().id());
        long updatedAt = 0;
        JsonNode u = doc.get("updated_at");
        if (u != null && u.isTextual()) {
            try {
                updatedAt = Instant.parse(u.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw InvalidDocumentException.of("updated_at", "must be an ISO-8601 instant");
            }
        }
        return def.withVersion(entry.version(), updatedAt);
    }

    // ---- rules ---------------------------------------------------------------------------------

    /** {@code node} parsed as a rule; {@code path} names it in errors (e.g. {@code "rule"}). */
    public static Rule parseRule(JsonNode node, String path) {
        int[] nodes = {0};
        return rule(node, path, 1, nodes);
    }

    private static Rule rule(JsonNode node, String path, int depth, int[] nodes) {
        if (depth > MAX_DEPTH) {
            throw InvalidDocumentException.of(path, "rules may nest at most " + MAX_DEPTH + " levels");
        }
        if (++nodes[0] > MAX_NODES) {
            throw InvalidDocumentException.of(path, "a rule may have at most " + MAX_NODES + " nodes");
        }
        if (node == null || !node.isObject()) {
            throw InvalidDocumentException.of(path, "must be a rule object such as {\"and\":[…]} or {\"event_count\":{…}}");
        }
        if (node.size() != 1) {
            throw InvalidDocumentException.of(path, "must have exactly one key (and, or, not, event_count, last_seen_within, "
                    + "not_seen_for, trait, score, revenue), had " + node.size());
        }
        Map.Entry<String, JsonNode> only = node.fields().next();
        String kind = only.getKey();
        JsonNode v = only.getValue();
        String p = path + "." + kind;
        return switch (kind) {
            case "and" -> new Rule.And(children(v, p, depth, nodes));
            case "or" -> new Rule.Or(children(v, p, depth, nodes));
            case "not" -> new Rule.Not(rule(v, p, depth + 1, nodes));
            case "event_count" -> eventCount(v, p);
            case "last_seen_within" -> new Rule.LastSeenWithin(duration(v, p));
            case "not_seen_for" -> new Rule.NotSeenFor(duration(v, p));
            case "trait" -> trait(v, p);
            case "score" -> score(v, p);
            case "revenue" -> revenue(v, p);
            default -> throw InvalidDocumentException.of(path + "." + kind, "unknown rule '" + kind
                    + "' (and, or, not, event_count, last_seen_within, not_seen_for, trait, score, revenue)");
        };
    }

    private static List<Rule> children(JsonNode v, String path, int depth, int[] nodes) {
        if (v == null || !v.isArray()) {
            throw InvalidDocumentException.of(path, "must be an array of rules");
        }
        if (v.isEmpty()) {
            throw InvalidDocumentException.of(path, "must contain at least one rule");
        }
        List<Rule> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(rule(v.get(i), path + "[" + i + "]", depth + 1, nodes));
        }
        return out;
    }

    private static Rule eventCount(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, COUNT_FIELDS, path + ".");
        String event = requiredText(v, "event", path);
        NameRules.checkName(event).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".event", m);
        });
        Window window = window(v, path);
        Cmp op = cmp(v, path);
        JsonNode value = v.get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw InvalidDocumentException.of(path + ".value", "must be a non-negative integer");
        }
        return new Rule.EventCount(event, window, op, value.asLong());
    }

    private static Rule trait(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, TRAIT_FIELDS, path + ".");
        String name = requiredText(v, "name", path);
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".name", m);
        });
        String opText = requiredText(v, "op", path);
        TraitOp op = TraitOp.fromWire(opText).orElseThrow(() -> InvalidDocumentException.of(path + ".op",
                "unknown operator '" + opText + "' (eq, neq, contains, gt, lt, is_set, is_not_set)"));
        JsonNode value = v.get("value");
        if (!op.needsValue()) {
            if (value != null && !value.isNull()) {
                throw InvalidDocumentException.of(path + ".value", "must be absent for " + op.wireName());
            }
            return new Rule.TraitCondition(name, op, null);
        }
        if (value == null || value.isNull()) {
            throw InvalidDocumentException.of(path + ".value", "is required for " + op.wireName());
        }
        switch (op) {
            case EQ, NEQ -> {
                if (!value.isValueNode()) {
                    throw InvalidDocumentException.of(path + ".value", "must be a string, number or boolean");
                }
            }
            case CONTAINS -> {
                if (!value.isTextual()) {
                    throw InvalidDocumentException.of(path + ".value", "must be a string for contains");
                }
            }
            default -> {
                if (!(value.isNumber() || value.isTextual())) {
                    throw InvalidDocumentException.of(path + ".value", "must be a number or a string for " + op.wireName());
                }
            }
        }
        return new Rule.TraitCondition(name, op, value.deepCopy());
    }

    private static Rule score(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, SCORE_FIELDS, path + ".");
        String name = requiredText(v, "name", path);
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".name", m);
        });
        return new Rule.ScoreCondition(name, cmp(v, path), number(v, path));
    }

    private static Rule revenue(JsonNode v, String path) {
        requireObject(v, path);
        rejectUnknown(v, REVENUE_FIELDS, path + ".");
        return new Rule.RevenueCondition(window(v, path), cmp(v, path), number(v, path));
    }

    private static Window window(JsonNode v, String path) {
        String text = requiredText(v, "window", path);
        return Window.fromWire(text).orElseThrow(() -> InvalidDocumentException.of(path + ".window",
                "unknown window '" + text + "' (1h, 24h, 7d, 30d, all)"));
    }

    private static Cmp cmp(JsonNode v, String path) {
        String text = requiredText(v, "op", path);
        return Cmp.fromWire(text).orElseThrow(() -> InvalidDocumentException.of(path + ".op",
                "unknown operator '" + text + "' (gte, gt, lte, lt, eq)"));
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
            throw InvalidDocumentException.of(path, "'" + v.asText() + "' is not an ISO-8601 duration (e.g. \"P3D\", \"PT24H\")");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
            throw InvalidDocumentException.of(path, "must be positive and at most " + MAX_DURATION.toDays() + " days");
        }
        if (d.getNano() % 1_000_000 != 0) {
            throw InvalidDocumentException.of(path, "must be a whole number of milliseconds");
        }
        return d;
    }

    /** The JSON of {@code rule} (the same shape {@link #parseRule} reads). */
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
            x.put("event", c.event());
            x.put("window", c.window().wireName());
            x.put("op", c.op().wireName());
            x.put("value", c.value());
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

    /** {@code P3D} for whole days, otherwise {@link Duration#toString()} ({@code PT36H}). */
    static String durationText(Duration d) {
        if (d.getNano() == 0 && d.getSeconds() % 86_400 == 0) {
            return "P" + d.toDays() + "D";
        }
        return d.toString();
    }

    // ---- helpers -------------------------------------------------------------------------------

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
                throw InvalidDocumentException.of(prefix + n, "unknown field '" + n + "'");
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

    private static String optionalText(JsonNode v, String field, String path) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw InvalidDocumentException.of(path, "must be a string");
        }
        return n.asText();
    }
}
