package io.beacon.analytics.cohorts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.control.audience.Rule;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A cohort as stored in the config store (kind {@value Cohorts#KIND}, key {@code cohort/<project>/<id>}):
 * <pre>
 * {"name": "Power users", "description": "…", "type": "dynamic" | "static", "definition": { rule }}
 * </pre>
 * A dynamic cohort needs a definition; a static one may have one (to materialize from) or none (filled by CSV
 * import). The control plane has no cohort type, so the document model lives here (analytics depends on the
 * control plane, not the other way).
 */
public record CohortDocument(String id, String name, String description, boolean dynamic, Rule definition, JsonNode definitionJson,
                             long version) {
    /** Cohort ids: 1–64 of lower-case letters, digits, {@code _} and {@code -}, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Validates a request body ({@code id} excluded; {@code version} ignored) into a document. */
    public static CohortDocument parse(String id, JsonNode body, long version) {
        if (body == null || !body.isObject()) {
            throw new InvalidQueryException("body", "must be a JSON object");
        }
        Set<String> allowed = Set.of("id", "name", "description", "type", "definition", "version");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InvalidQueryException(f.replaceAll("\\p{Cntrl}", "?"), "unknown field (allowed: id, name, description, type, definition, version)");
            }
        }
        String name = text(body, "name", true, 200);
        String description = text(body, "description", false, 2_000);
        String type = body.hasNonNull("type") ? text(body, "type", true, 20) : "dynamic";
        if (!type.equals("dynamic") && !type.equals("static")) {
            throw new InvalidQueryException("type", "must be dynamic or static");
        }
        JsonNode defJson = body.get("definition");
        Rule rule = null;
        if (defJson != null && !defJson.isNull()) {
            rule = CohortRules.parse(defJson, "definition");
        } else if (type.equals("dynamic")) {
            throw new InvalidQueryException("definition", "is required for a dynamic cohort");
        }
        return new CohortDocument(id, name, description, type.equals("dynamic"), rule, defJson == null || defJson.isNull() ? null : defJson, version);
    }

    public static void checkId(String id, String field) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidQueryException(field, "cohort ids are 1–64 of a-z, 0-9, _ and -, starting with a letter or digit");
        }
    }

    /** The stored JSON (without id and version, which the key and the store carry). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        if (description != null) {
            o.put("description", description);
        }
        o.put("type", dynamic ? "dynamic" : "static");
        if (definitionJson != null) {
            o.set("definition", definitionJson);
        }
        return o;
    }

    /** The API view: the stored JSON plus id and version. */
    public ObjectNode toApi() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.setAll(toJson());
        o.put("version", version);
        return o;
    }

    private static String text(JsonNode body, String field, boolean required, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new InvalidQueryException(field, "is required");
            }
            return null;
        }
        if (!n.isTextual() || (required && n.asText().isBlank())) {
            throw new InvalidQueryException(field, "must be a non-empty string");
        }
        if (n.asText().length() > max) {
            throw new InvalidQueryException(field, "is longer than " + max + " characters");
        }
        return n.asText();
    }
}
