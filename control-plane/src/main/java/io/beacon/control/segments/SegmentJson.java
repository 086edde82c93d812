package io.beacon.control.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.RuleJson;
import io.beacon.control.store.ConfigEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * The JSON of segment definitions and rules (docs/segments.md). Parsing is strict: unknown fields,
 * wrong JSON types, unknown operators or windows, invalid names, rules deeper than
 * {@value #MAX_DEPTH} levels or with more than {@value #MAX_NODES} nodes all fail with
 * {@link InvalidDocumentException} naming the JSON path of the first problem (for example
 * {@code rule.and[1].event_count.window}).
 *
 * <p>The rule is the audience rule language read for the realtime engine ({@link RuleJson#parseRealtime},
 * docs/audiences.md): what only cohorts evaluate (sequences, calendar days, event filters, regular expressions)
 * is refused there with its path.
 */
public final class SegmentJson {
    public static final int MAX_DEPTH = RuleJson.MAX_DEPTH;
    public static final int MAX_NODES = RuleJson.MAX_NODES;
    /** The longest duration a recency rule may name. */
    public static final Duration MAX_DURATION = RuleJson.MAX_DURATION;
    public static final int MAX_DESCRIPTION_LENGTH = 2000;

    private static final Set<String> BODY_FIELDS = Set.of("id", "project_id", "name", "description", "rule", "version", "updated_at");

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

    /** {@code node} parsed as a realtime rule ({@link RuleJson#parseRealtime}); {@code path} names it in errors. */
    public static Rule parseRule(JsonNode node, String path) {
        return RuleJson.parseRealtime(node, path);
    }

    /** The JSON of {@code rule} (the same shape {@link #parseRule} reads). */
    public static ObjectNode toJson(Rule rule) {
        return RuleJson.toJson(rule);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void rejectUnknown(JsonNode v, Set<String> allowed, String prefix) {
        Iterator<String> names = v.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw InvalidDocumentException.of(prefix + n, "unknown field '" + n + "'");
            }
        }
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
