package io.beacon.control.topicview;

import java.util.Objects;
import java.util.Optional;

/**
 * What one record (or local update) did to a key of a view.
 *
 * @param key      the key
 * @param previous what the view held before, empty when nothing
 * @param current  what it holds after, empty when nothing (after a tombstone)
 */
public record TopicUpdate<K, S>(K key, Optional<S> previous, Optional<S> current) {
    public TopicUpdate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }

    /** Whether the view holds something else for the key now. */
    public boolean changed() {
        return !previous.equals(current);
    }
}
