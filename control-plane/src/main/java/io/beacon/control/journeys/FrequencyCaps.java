package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigKey;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A project's frequency caps across all its journeys: per channel, at most so many sends per user per local day
 * (the user's zone); a channel without a cap is not capped. Checked inside the user's actor, where journeys of
 * higher {@link JourneyDefinition#priority} send first. Stored as its own document under
 * {@code journey_caps/<project>/default}: {@code {"caps":{"push":2,"email":1}}} (the store adds {@code version}).
 *
 * @param projectId the project
 * @param maxPerDay channel → the most sends per user and local day (&ge; 1), in document order
 */
public record FrequencyCaps(String projectId, Map<String, Integer> maxPerDay) {
    public static final String KIND = "journey_caps";
    public static final String ID = "default";
    public static final int MAX_CHANNELS = 50;
    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Set<String> FIELDS = Set.of("caps", "project_id", "version", "updated_at");

    public FrequencyCaps {
        Objects.requireNonNull(projectId, "projectId");
        maxPerDay = Collections.unmodifiableMap(new LinkedHashMap<>(maxPerDay));
    }

    /** No caps. */
    public static FrequencyCaps none(String projectId) {
        return new FrequencyCaps(projectId, Map.of());
    }

    public static ConfigKey key(String project) {
        return ConfigKey.of(KIND, project, ID);
    }

    public ConfigKey key() {
        return key(projectId);
    }

    /** The cap of {@code channel}, empty when it has none. */
    public OptionalInt maxPerDay(String channel) {
        Integer max = maxPerDay.get(channel);
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
    }

    /** Why {@code channel} is not a valid channel name ({@code [a-z][a-z0-9_]{0,31}}), or empty when it is. */
    public static Optional<String> checkChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            return Optional.of("must be a lowercase word matching [a-z][a-z0-9_]{0,31} (push, crm, webhook, email, …)");
        }
        return Optional.empty();
    }

    /**
     * The caps of {@code project} from {@code body} ({@code version}, {@code updated_at} and a matching
     * {@code project_id} are accepted and ignored).
     *
     * @throws InvalidDocumentException listing every problem: fields {@code caps.<channel>} for a cap that is not
     *                                  an integer &ge; 1 or a malformed channel name
     */
    public static FrequencyCaps parse(String project, JsonNode body) {
        DocumentReader r = new DocumentReader();
        if (!r.object(body, "body")) {
            throw new InvalidDocumentException(r.errors());
        }
        r.onlyFields(body, FIELDS, "");
        JsonNode pid = body.get("project_id");
        if (pid != null && !pid.isNull() && !(pid.isTextual() && pid.asText().equals(project))) {
            r.error("project_id", "must be the project of the secret key ('" + project + "')");
        }
        Map<String, Integer> caps = new LinkedHashMap<>();
        JsonNode node = body.get("caps");
        if (node == null || node.isNull()) {
            r.error("caps", "is required: an object of channel to the most sends per user and local day");
        } else if (r.object(node, "caps")) {
            if (node.size() > MAX_CHANNELS) {
                r.error("caps", "must cap at most " + MAX_CHANNELS + " channels, had " + node.size());
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String channel = e.getKey();
                String field = "caps." + DocumentReader.printable(channel);
                Optional<String> bad = checkChannel(channel);
                if (bad.isPresent()) {
                    r.error(field, "channel '" + DocumentReader.printable(channel) + "' " + bad.get());
                    continue;
                }
                JsonNode v = e.getValue();
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    r.error(field, "the cap of channel '" + channel + "' must be an integer of at least 1");
                } else if (v.intValue() < 1) {
                    r.error(field, "the cap of channel '" + channel + "' must be at least 1 send per day, was " + v.intValue()
                            + " (remove the channel to leave it uncapped)");
                } else {
                    caps.put(channel, v.intValue());
                }
            }
        }
        if (r.count() > 0) {
            throw new InvalidDocumentException(r.errors());
        }
        return new FrequencyCaps(project, caps);
    }

    /** The stored document {@code {"caps":{…}}}. */
    public static ObjectNode toDocument(FrequencyCaps caps) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode c = o.putObject("caps");
        caps.maxPerDay().forEach(c::put);
        return o;
    }
}
