package io.beacon.control.discovery;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The compacted topic {@value #NAME} on which the stream topology publishes what it discovered: one
 * record per unregistered event or property, key {@code project/kind/name} ({@link DiscoveredItem#key()}),
 * value {@link DiscoveryCodec} JSON with the running totals. Prefixed like every Beacon topic
 * ({@code TopicNames.withPrefix}).
 *
 * <p>One partition: the topic carries at most one record per key every few seconds, and every reader
 * ({@link DiscoveryView}) reads all of it anyway. Both the writer (the topology's topic set-up) and the
 * readers create it with {@link #newTopic} when missing, so start-up order does not matter.
 */
public final class DiscoveryTopic {
    /** The production name. */
    public static final String NAME = "beacon.discovery";

    private DiscoveryTopic() {
    }

    /** {@code prefix + "beacon.discovery"}; a {@code null} or empty prefix keeps the plain name. */
    public static String withPrefix(String prefix) {
        return (prefix == null ? "" : prefix) + NAME;
    }

    /** The topic as created when missing: 1 partition, {@code cleanup.policy=compact}. */
    public static NewTopic newTopic(String name, short replicationFactor) {
        return new NewTopic(name, 1, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}
