package io.beacon.control.topicview;

/**
 * How a view folds the records of a key, in topic order, into what it holds for the key. Pure and quick:
 * it runs on the view's thread under the view's lock. Tombstones never reach it (they remove the key).
 *
 * @param <K> the key type
 * @param <V> the record value type
 * @param <S> what the view holds per key
 */
@FunctionalInterface
public interface TopicReducer<K, V, S> {

    /**
     * @param held  what the view holds for {@code key}, {@code null} when nothing
     * @param value the record's value (not a tombstone)
     * @return what the view holds for {@code key} afterwards; {@code held} itself when the record changes
     *         nothing; {@code null} to hold nothing
     */
    S reduce(K key, S held, V value);

    /** The last record of a key is its state: what a plain reader of a compacted topic sees. */
    static <K, V> TopicReducer<K, V, V> lastWins() {
        return (key, held, value) -> value;
    }
}
