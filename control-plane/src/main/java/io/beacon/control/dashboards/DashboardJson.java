package io.beacon.control.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.store.ConfigEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The strict JSON of saved insights and dashboards (docs/dashboards.md): unknown fields, wrong JSON types, names
 * outside the name grammar, unknown analyses and out-of-range numbers fail with {@link InvalidDocumentException}
 * naming the JSON path of the first problem ({@code tiles[2].width}). Pure: whether a query is valid for its
 * analysis and whether tiles name existing insights is checked by {@link DashboardService}.
 */
public final class DashboardJson {
    /** The analyses of {@code POST /api/v1/insights/{analysis}}. */
    public static final Set<String> ANALYSES = Set.of("trends", "funnels", "retention", "paths", "distribution", "stickiness", "lifecycle");
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    /** A saved query's JSON text at most (UTF-8 bytes); the insights API itself takes 64 KiB bodies. */
    public static final int MAX_QUERY_BYTES = 64 * 1024;
    public static final int MAX_TILES = 50;
    public static final int MAX_WIDTH = 12;
    public static final int MIN_REFRESH_SECONDS = 30;
    public static final int MAX_REFRESH_SECONDS = 86_400;
    /** The longest relative shared range, as the query grammar's longest range (3 × 366 days). */
    public static final int MAX_LAST_DAYS = 3 * 366;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Set<String> INSIGHT_FIELDS = Set.of("id", "project_id", "name", "description", "analysis", "query",
            "version", "created_at", "updated_at");
    private static final Set<String> DASHBOARD_FIELDS = Set.of("id", "project_id", "name", "description", "tiles", "date_range",
            "refresh_seconds", "version", "created_at", "updated_at");
    private static final Set<String> TILE_FIELDS = Set.of("insight", "width");

    private DashboardJson() {
    }

    /** Why {@code id} is not a valid saved-insight or dashboard id, or empty when it is. */
    public static Optional<String> checkId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        return ID.matcher(id).matches() ? Optional.empty() : Optional.of("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }

    // ---- saved insights ------------------------------------------------------------------------

    /**
     * A saved insight from an API body {@code {"id"?,"name","description"?,"analysis","query"}} ({@code version},
     * {@code created_at}, {@code updated_at} and a matching {@code project_id} are accepted and ignored, so a GET
     * answer can be sent back). {@code id} (from the path, or generated) overrides/fills the body's id.
     */
    public static SavedInsight parseInsight(JsonNode body, String projectId, String id) {
        Header h = header(body, INSIGHT_FIELDS, projectId, id);
        String analysis = optionalText(body, "analysis");
        if (analysis == null) {
            throw InvalidDocumentException.of("analysis", "is required");
        }
        if (!ANALYSES.contains(analysis)) {
            throw InvalidDocumentException.of("analysis", "must be one of " + String.join(", ", ANALYSES.stream().sorted().toList()));
        }
        JsonNode query = body.get("query");
        if (query == null || query.isNull()) {
            throw InvalidDocumentException.of("query", "is required");
        }
        if (!query.isObject()) {
            throw InvalidDocumentException.of("query", "must be a JSON object (the body of POST /api/v1/insights/" + analysis + ")");
        }
        if (query.toString().getBytes(StandardCharsets.UTF_8).length > MAX_QUERY_BYTES) {
            throw InvalidDocumentException.of("query", "must be at most " + MAX_QUERY_BYTES + " bytes of JSON");
        }
        JsonNode named = query.get("analysis");
        if (named != null && !(named.isTextual() && named.asText().equals(analysis))) {
            throw InvalidDocumentException.of("query.analysis", "must be '" + analysis + "' (the insight's analysis) or absent");
        }
        return new SavedInsight(projectId, h.id, h.name, h.description, analysis, (ObjectNode) query.deepCopy(), 0, 0, 0);
    }

    /** The stored document (the store adds {@code version}). */
    public static ObjectNode toDocument(SavedInsight s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        if (s.description() != null) {
            o.put("description", s.description());
        }
        o.put("analysis", s.analysis());
        o.set("query", s.query().deepCopy());
        o.put("created_at", Instant.ofEpochMilli(s.createdAtMs()).toString());
        o.put("updated_at", Instant.ofEpochMilli(s.updatedAtMs()).toString());
        return o;
    }

    /** The API answer: the document plus {@code project_id} and {@code version}. */
    public static ObjectNode toApiJson(SavedInsight s) {
        ObjectNode o = toDocument(s);
        o.put("project_id", s.projectId());
        o.put("version", s.version());
        return o;
    }

    /** A stored entry read back (project and id from the key, version from the entry). */
    public static SavedInsight insightFromEntry(ConfigEntry entry) {
        SavedInsight s = parseInsight(entry.document(), entry.key().project(), entry.key().id());
        return s.stamped(entry.version(), instant(entry.document(), "created_at"), instant(entry.document(), "updated_at"));
    }

    // ---- dashboards ----------------------------------------------------------------------------

    /**
     * A dashboard from an API body {@code {"id"?,"name","description"?,"tiles"?,"date_range"?,"refresh_seconds"?}};
     * the same ignored fields as {@link #parseInsight}. {@code date_range} is {@code {"last_days": N}} or a query's
     * {@code {"from","to"}} (whose grammar the service has the query parser check).
     */
    public static Dashboard parseDashboard(JsonNode body, String projectId, String id) {
        Header h = header(body, DASHBOARD_FIELDS, projectId, id);
        List<Dashboard.Tile> tiles = new ArrayList<>();
        JsonNode t = body.get("tiles");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) {
                throw InvalidDocumentException.of("tiles", "must be an array");
            }
            if (t.size() > MAX_TILES) {
                throw InvalidDocumentException.of("tiles", "must have at most " + MAX_TILES + " tiles");
            }
            for (int i = 0; i < t.size(); i++) {
                tiles.add(tile(t.get(i), "tiles[" + i + "]"));
            }
        }
        Dashboard.SharedRange range = sharedRange(body.get("date_range"));
        int refresh = 0;
        JsonNode r = body.get("refresh_seconds");
        if (r != null && !r.isNull()) {
            if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                throw InvalidDocumentException.of("refresh_seconds", "must be an integer");
            }
            refresh = r.asInt();
            if (refresh != 0 && (refresh < MIN_REFRESH_SECONDS || refresh > MAX_REFRESH_SECONDS)) {
                throw InvalidDocumentException.of("refresh_seconds",
                        "must be 0 (off) or between " + MIN_REFRESH_SECONDS + " and " + MAX_REFRESH_SECONDS);
            }
        }
        return new Dashboard(projectId, h.id, h.name, h.description, tiles, range, refresh, 0, 0, 0);
    }

    /** The stored document (the store adds {@code version}). */
    public static ObjectNode toDocument(Dashboard d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", d.id());
        o.put("name", d.name());
        if (d.description() != null) {
            o.put("description", d.description());
        }
        ArrayNode tiles = o.putArray("tiles");
        for (Dashboard.Tile t : d.tiles()) {
            ObjectNode tile = tiles.addObject().put("insight", t.insight());
            if (t.width() > 0) {
                tile.put("width", t.width());
            }
        }
        if (d.dateRange() != null) {
            ObjectNode range = o.putObject("date_range");
            if (d.dateRange().relative()) {
                range.put("last_days", d.dateRange().lastDays());
            } else {
                range.put("from", d.dateRange().from()).put("to", d.dateRange().to());
            }
        }
        o.put("refresh_seconds", d.refreshSeconds());
        o.put("created_at", Instant.ofEpochMilli(d.createdAtMs()).toString());
        o.put("updated_at", Instant.ofEpochMilli(d.updatedAtMs()).toString());
        return o;
    }

    /** The API answer: the document plus {@code project_id} and {@code version}. */
    public static ObjectNode toApiJson(Dashboard d) {
        ObjectNode o = toDocument(d);
        o.put("project_id", d.projectId());
        o.put("version", d.version());
        return o;
    }

    /** A stored entry read back (project and id from the key, version from the entry). */
    public static Dashboard dashboardFromEntry(ConfigEntry entry) {
        Dashboard d = parseDashboard(entry.document(), entry.key().project(), entry.key().id());
        return d.stamped(entry.version(), instant(entry.document(), "created_at"), instant(entry.document(), "updated_at"));
    }

    /** The shared range as a query's {@code {"from","to"}} JSON (fixed ranges only). */
    public static ObjectNode rangeJson(Dashboard.SharedRange range) {
        return JsonNodeFactory.instance.objectNode().put("from", range.from()).put("to", range.to());
    }

    // ---- parts ---------------------------------------------------------------------------------

    private record Header(String id, String name, String description) {
    }

    private static Header header(JsonNode body, Set<String> allowed, String projectId, String pathId) {
        if (body == null || !body.isObject()) {
            throw InvalidDocumentException.of("body", "must be a JSON object");
        }
        rejectUnknown(body, allowed, "");
        JsonNode pid = body.get("project_id");
        if (pid != null && !pid.isNull() && !(pid.isTextual() && pid.asText().equals(projectId))) {
            throw InvalidDocumentException.of("project_id", "must be the project of the secret key ('" + projectId + "')");
        }
        String bodyId = optionalText(body, "id");
        if (bodyId != null && pathId != null && !bodyId.equals(pathId)) {
            throw InvalidDocumentException.of("id", "must match the id in the path ('" + pathId + "')");
        }
        String id = pathId != null ? pathId : bodyId;
        checkId(id).ifPresent(m -> {
            throw InvalidDocumentException.of("id", m);
        });
        String name = optionalText(body, "name");
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of("name", m);
        });
        String description = optionalText(body, "description");
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw InvalidDocumentException.of("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        return new Header(id, name, description == null || description.isEmpty() ? null : description);
    }

    private static Dashboard.Tile tile(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw InvalidDocumentException.of(path, "must be an object {\"insight\",\"width\"?}");
        }
        rejectUnknown(node, TILE_FIELDS, path + ".");
        String insight = optionalText(node, "insight", path + ".insight");
        if (insight == null) {
            throw InvalidDocumentException.of(path + ".insight", "is required");
        }
        checkId(insight).ifPresent(m -> {
            throw InvalidDocumentException.of(path + ".insight", m);
        });
        int width = 0;
        JsonNode w = node.get("width");
        if (w != null && !w.isNull()) {
            if (!w.isIntegralNumber() || !w.canConvertToInt() || w.asInt() < 1 || w.asInt() > MAX_WIDTH) {
                throw InvalidDocumentException.of(path + ".width", "must be an integer from 1 to " + MAX_WIDTH);
            }
            width = w.asInt();
        }
        return new Dashboard.Tile(insight, width);
    }

    private static Dashboard.SharedRange sharedRange(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw InvalidDocumentException.of("date_range", "must be an object {\"last_days\"} or {\"from\",\"to\"}");
        }
        if (node.has("last_days")) {
            rejectUnknown(node, Set.of("last_days"), "date_range.");
            JsonNode n = node.get("last_days");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_LAST_DAYS) {
                throw InvalidDocumentException.of("date_range.last_days", "must be an integer from 1 to " + MAX_LAST_DAYS);
            }
            return Dashboard.SharedRange.last(n.asInt());
        }
        rejectUnknown(node, Set.of("from", "to"), "date_range.");
        String from = optionalText(node, "from", "date_range.from");
        String to = optionalText(node, "to", "date_range.to");
        if (from == null) {
            throw InvalidDocumentException.of("date_range.from", "is required");
        }
        if (to == null) {
            throw InvalidDocumentException.of("date_range.to", "is required");
        }
        return Dashboard.SharedRange.fixed(from, to);
    }

    private static long instant(JsonNode doc, String field) {
        JsonNode u = doc.get(field);
        if (u == null || !u.isTextual()) {
            return 0;
        }
        try {
            return Instant.parse(u.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw InvalidDocumentException.of(field, "must be an ISO-8601 instant");
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

    private static String optionalText(JsonNode v, String field) {
        return optionalText(v, field, field);
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
