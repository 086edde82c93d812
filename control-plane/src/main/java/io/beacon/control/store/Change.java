package io.beacon.control.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A change of the local view, delivered to listeners after it was applied.
 *
 * @param key      the document's key
 * @param previous the entry before, empty when the document was created
 * @param current  the entry after, empty when the document was deleted
 */
public record Change(ConfigKey key, Optional<ConfigEntry> previous, Optional<ConfigEntry> current) {
    public enum Type { CREATED, UPDATED, DELETED }

    public Change {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }

    public Type type() {
        if (current.isEmpty()) {
            return Type.DELETED;
        }
        return previous.isEmpty() ? Type.CREATED : Type.UPDATED;
    }
}
