package io.beacon.control.topicview;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A topic's record keys (UTF-8 strings on the wire) and values (bytes) as types. A decoder throws
 * {@link IllegalArgumentException} (or any runtime exception) for bytes that are not a key or value of
 * the topic; the view then skips the record with a warning naming its position.
 *
 * @param <K> the key type
 * @param <V> the value type as written and read
 */
public interface TopicCodec<K, V> {

    String encodeKey(K key);

    K decodeKey(String key);

    byte[] encodeValue(V value);

    V decodeValue(K key, byte[] value);

    /** A codec whose keys are the record keys themselves. */
    static <V> TopicCodec<String, V> stringKeys(Function<V, byte[]> encode, BiFunction<String, byte[], V> decode) {
        return new TopicCodec<>() {
            @Override
            public String encodeKey(String key) {
                return key;
            }

            @Override
            public String decodeKey(String key) {
                return key;
            }

            @Override
            public byte[] encodeValue(V value) {
                return encode.apply(value);
            }

            @Override
            public V decodeValue(String key, byte[] value) {
                return decode.apply(key, value);
            }
        };
    }
}
