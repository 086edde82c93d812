package io.beacon.engine.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition Kafka's default partitioner puts a keyed record in: {@code toPositive(murmur2(keyBytes)) %
 * partitions} (KIP-480 kept this rule for keyed records; see {@code BuiltInPartitioner.partitionForKey}).
 * The engine's shard id of a user is this partition of the user's key, so a user's entity lives on the node
 * that consumes the user's events.
 */
public final class KafkaPartitioning {
    private KafkaPartitioning() {
    }

    /** The partition of {@code key} (UTF-8, as the string serializer writes it) among {@code partitions}. */
    public static int partition(String key, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
