package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.NameRules;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.destinations.FilterOp;
import io.beacon.control.destinations.PropertyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events journeys react to (triggers, waits, exit criteria, goals): an {@link EventMatch} with a required event
 * name and filters in the grammar of destination subscriptions, {@code {"property","op","value"}} with
 * {@code eq, neq, exists, gt, lt} ({@link PropertyFilter}), which the engine evaluates on one event's properties.
 */
public final class EventFilters {
    public static final int MAX_FILTERS = 20;
    static final Set<String> FIELDS = Set.of("event", "filters");
    private static final Set<String> FILTER_FIELDS = Set.of("property", "op", "value");

    private EventFilters() {
    }

    /** The filters of {@code match} (as validated when it was read). */
    public static List<PropertyFilter> filters(EventMatch match) {
        List<PropertyFilter> out = new ArrayList<>();
        for (JsonNode f : match.filters()) {
            JsonNode value = f.get("value");
            out.add(new PropertyFilter(f.get("property").asText(), FilterOp.fromWire(f.get("op").asText()),
                    value == null || value.isNull() ? null : value));
        }
        return out;
    }

    /** Whether an event named {@code eventName} with {@code properties} (a JSON object) matches {@code match}. */
    public static boolean matches(EventMatch match, String eventName, JsonNode properties) {
        if (!match.event().equals(eventName)) {
            return false;
        }
        for (PropertyFilter f : filters(match)) {
            if (!f.matches(properties)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code event} and {@code filters} fields of {@code node} (an object; its other fields are the caller's),
     * or {@code null} after adding the problems to {@code r}.
     */
    static EventMatch read(JsonNode node, String path, DocumentReader r) {
        int before = r.count();
        String event = r.text(node, "event", path + ".event", true);
        if (event != null) {
            NameRules.checkName(event).ifPresent(m -> r.error(path + ".event", m));
        }
        ArrayNode filters = JsonNodeFactory.instance.arrayNode();
        JsonNode f = node.get("filters");
        if (f != null && !f.isNull()) {
            if (!f.isArray()) {
                r.error(path + ".filters", "must be an array of filters");
            } else if (f.size() > MAX_FILTERS) {
                r.error(path + ".filters", "must hold at most " + MAX_FILTERS + " filters, had " + f.size());
            } else {
                for (int i = 0; i < f.size(); i++) {
                    ObjectNode one = filter(f.get(i), path + ".filters[" + i + "]", r);
                    if (one != null) {
                        filters.add(one);
                    }
                }
            }
        }
        return r.count() == before ? new EventMatch(event, filters) : null;
    }

    private static ObjectNode filter(JsonNode c, String at, DocumentReader r) {
        if (!r.object(c, at)) {
            return null;
        }
        int before = r.count();
        r.onlyFields(c, FILTER_FIELDS, at + ".");
        String property = r.text(c, "property", at + ".property", true);
        if (property != null) {
            NameRules.checkName(property).ifPresent(m -> r.error(at + ".property", m));
        }
        String opText = r.text(c, "op", at + ".op", true);
        FilterOp op = null;
        if (opText != null) {
            try {
                op = FilterOp.fromWire(opText);
            } catch (IllegalArgumentException e) {
                r.error(at + ".op", e.getMessage());
            }
        }
        JsonNode value = c.get("value");
        boolean hasValue = value != null && !value.isNull();
        if (op == FilterOp.EXISTS && hasValue) {
            r.error(at + ".value", "must be absent for op exists");
        } else if ((op == FilterOp.GT || op == FilterOp.LT) && !(hasValue && value.isNumber())) {
            r.error(at + ".value", "must be a number for op " + op.wireName());
        } else if ((op == FilterOp.EQ || op == FilterOp.NEQ) && !(hasValue && (value.isTextual() || value.isNumber() || value.isBoolean()))) {
            r.error(at + ".value", "must be a string, number or boolean for op " + op.wireName());
        }
        if (r.count() != before) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("property", property);
        out.put("op", op.wireName());
        if (hasValue) {
            out.set("value", value.deepCopy());
        }
        return out;
    }

    /** Writes {@code match} into {@code into} as {@code event} and, when it has filters, {@code filters}. */
    static ObjectNode write(ObjectNode into, EventMatch match) {
        into.put("event", match.event());
        if (match.filtered()) {
            into.set("filters", match.filters());
        }
        return into;
    }
}
