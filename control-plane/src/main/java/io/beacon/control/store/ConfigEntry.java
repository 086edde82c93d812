package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The current version of one document as the local view holds it.
 *
 * @param key      its key
 * @param version  its version (&ge; 1), also present as the {@code version} field of {@code document}
 * @param document the stored JSON object; shared, treat as read-only ({@link #documentCopy()} to edit)
 */
public record ConfigEntry(ConfigKey key, long version, JsonNode document) {
    public ConfigEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(document, "document");
    }

    /** A mutable copy of the document. */
    public ObjectNode documentCopy() {
        return (ObjectNode) document.deepCopy();
    }

    /** The document read as {@code type} with the control plane's JSON conventions. */
    public <T> T as(Class<T> type) {
        return ConfigJson.read(document, type);
    }
}
