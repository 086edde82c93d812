package io.beacon.control.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigKey;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What scores one task ({@code churn}, {@code ltv}) of one project: the champion {@code version}, optionally a
 * {@code challengerVersion} for a deterministic {@code challengerShare} of the users, the version it replaced
 * ({@code previousVersion}, what a rollback promotes) and when. Stored as config document
 * {@code model-promotion/<project>/<task>}.
 *
 * @param storeVersion the config-store version of the document (0 before it is written)
 */
public record ModelPromotion(String projectId, String task, String version, String challengerVersion,
                             double challengerShare, String previousVersion, long promotedAtMs, long storeVersion) {
    public static final String KIND = "model-promotion";
    /** Model version ids as the model store makes them. */
    private static final Pattern VERSION = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final Pattern TASK = Pattern.compile("churn|ltv");

    public ModelPromotion {
        Objects.requireNonNull(projectId, "projectId");
        requireValid(task, version, challengerVersion, challengerShare);
        if (previousVersion != null && !VERSION.matcher(previousVersion).matches()) {
            throw InvalidDocumentException.of("previous_version", "is not a model version id");
        }
    }

    /** Throws {@link InvalidDocumentException} naming the field when the values cannot be a promotion. */
    public static void requireValid(String task, String version, String challengerVersion, double challengerShare) {
        if (task == null || !TASK.matcher(task).matches()) {
            throw InvalidDocumentException.of("task", "must be churn or ltv");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw InvalidDocumentException.of("version", "must be a model version id ([a-z0-9-], as `./beacon ml list` shows)");
        }
        if (challengerVersion != null && !VERSION.matcher(challengerVersion).matches()) {
            throw InvalidDocumentException.of("challenger_version", "must be a model version id");
        }
        if (challengerVersion != null && challengerVersion.equals(version)) {
            throw InvalidDocumentException.of("challenger_version", "must differ from the champion version");
        }
        if (!(challengerShare >= 0 && challengerShare <= 1)) {
            throw InvalidDocumentException.of("challenger_share", "must be a number in [0, 1]");
        }
        if (challengerVersion == null && challengerShare != 0) {
            throw InvalidDocumentException.of("challenger_share", "needs a challenger_version");
        }
    }

    public static ConfigKey key(String projectId, String task) {
        return ConfigKey.of(KIND, projectId, task);
    }

    public ConfigKey key() {
        return key(projectId, task);
    }

    public JsonNode toDocument() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", task);
        o.put("model_version", version); // "version" is the config store's own field
        if (challengerVersion != null) {
            o.put("challenger_version", challengerVersion);
            o.put("challenger_share", challengerShare);
        }
        if (previousVersion != null) {
            o.put("previous_version", previousVersion);
        }
        o.put("promoted_at_ms", promotedAtMs);
        return o;
    }

    /** The promotion stored in {@code e}; {@link InvalidDocumentException} when it is not one. */
    public static ModelPromotion fromEntry(ConfigEntry e) {
        JsonNode d = e.document();
        String challenger = text(d, "challenger_version");
        return new ModelPromotion(e.key().project(), text(d, "task"), text(d, "model_version"), challenger,
                challenger == null ? 0 : d.path("challenger_share").asDouble(0), text(d, "previous_version"),
                d.path("promoted_at_ms").asLong(0), e.version());
    }

    private static String text(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
