package io.beacon.control.store;

import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.topicview.TopicViewSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link KafkaConfigStore} connects and waits. Built from {@code beacon.kafka.*} and
 * {@code beacon.control-plane.*} by {@code ControlPlaneSettings}; see {@code reference.conf}.
 *
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param topic             the config topic ({@link io.beacon.control.ConfigTopic#withPrefix})
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
    /** What a {@code KafkaConfigStore} needs, from the control plane's settings. */
    public static ConfigStoreSettings from(ControlPlaneSettings cp) {
        return new ConfigStoreSettings(cp.bootstrapServers(), cp.configTopic(), cp.writeTimeout(), cp.startTimeout(),
                cp.replicationFactor(), cp.minCompactionLag(), cp.kafkaProperties());
    }


    /** Defaults for a single-broker set-up (tests, dev stack). */
    public static ConfigStoreSettings of(String bootstrapServers, String topic) {
        return new ConfigStoreSettings(bootstrapServers, topic, Duration.ofSeconds(10), Duration.ofSeconds(60),
                (short) 1, Duration.ofMinutes(5), Map.of());
    }

    /**
     * Settings of a compacted-topic view on the same Kafka with the same timeouts, replication and
     * compaction lag: the config store's view ({@code topic()}) and other views of the control plane's
     * Kafka (e.g. sticky buckets).
     *
     * @param name what the view is for, in thread names, client ids and logs
     */
    public TopicViewSettings.Builder topicView(String name, String viewTopic) {
        return TopicViewSettings.builder(name, bootstrapServers, viewTopic)
                .kafkaProperties(kafkaProperties)
                .replicationFactor(replicationFactor)
                .minCompactionLag(minCompactionLag)
                .startTimeout(startTimeout)
                .writeTimeout(writeTimeout);
    }

    public ConfigStoreSettings withTopic(String newTopic) {
        return new ConfigStoreSettings(bootstrapServers, newTopic, writeTimeout, startTimeout, replicationFactor, minCompactionLag, kafkaProperties);
    }
}
