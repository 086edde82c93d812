package io.beacon.control.store;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link KafkaConfigStore} connects and waits. Built from {@code beacon.kafka.*} and
 * {@code beacon.control-plane.*} by {@code ControlPlaneSettings}; see {@code reference.conf}.
 *
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param topic             the config topic ({@link ConfigTopic#withPrefix})
 * @param writeTimeout      how long a write waits for Kafka and for the view to read it back
 * @param startTimeout      how long {@code start()} waits for the view to catch up
 * @param replicationFactor replication factor when the store creates the topic
 * @param minCompactionLag  {@code min.compaction.lag.ms} when the store creates the topic
 * @param kafkaProperties   extra Kafka client properties (security etc.), applied first
 */
public record ConfigStoreSettings(
        String bootstrapServers,
        String topic,
        Duration writeTimeout,
        Duration startTimeout,
        short replicationFactor,
        Duration minCompactionLag,
        Map<String, String> kafkaProperties) {

    public ConfigStoreSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(minCompactionLag, "minCompactionLag");
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    }

    /** Defaults for a single-broker set-up (tests, dev stack). */
    public static ConfigStoreSettings of(String bootstrapServers, String topic) {
        return new ConfigStoreSettings(bootstrapServers, topic, Duration.ofSeconds(10), Duration.ofSeconds(60),
                (short) 1, Duration.ofMinutes(5), Map.of());
    }

    public ConfigStoreSettings withTopic(String newTopic) {
        return new ConfigStoreSettings(bootstrapServers, newTopic, writeTimeout, startTimeout, replicationFactor, minCompactionLag, kafkaProperties);
    }
}
