package io.beacon.control;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The control plane's settings, read once from {@code beacon.kafka.*} and
 * {@code beacon.control-plane.*} (documented in this module's {@code reference.conf}).
 *
 * @param bootstrapServers   {@code beacon.kafka.bootstrap-servers}
 * @param topicPrefix        {@code beacon.kafka.topic-prefix}
 * @param writeTimeout       {@code beacon.control-plane.write-timeout}
 * @param startTimeout       {@code beacon.control-plane.start-timeout}
 * @param adminToken         {@code beacon.control-plane.admin-token}; empty = disabled
 * @param replicationFactor  {@code beacon.control-plane.config-topic.replication-factor}
 * @param minCompactionLag   {@code beacon.control-plane.config-topic.min-compaction-lag}
 * @param kafkaProperties    {@code beacon.control-plane.kafka-properties}
 * @param allowPrivateDestinationAddresses {@code beacon.destinations.allow-private-addresses}: whether CDP
 *                           destination URLs may point at loopback/private/link-local addresses
 */
public record ControlPlaneSettings(String bootstrapServers, String topicPrefix, Duration writeTimeout,
                                   Duration startTimeout, Optional<String> adminToken, short replicationFactor,
                                   Duration minCompactionLag, Map<String, String> kafkaProperties,
                                   boolean allowPrivateDestinationAddresses) {
    public static final String BOOTSTRAP_SERVERS = "beacon.kafka.bootstrap-servers";
    public static final String TOPIC_PREFIX = "beacon.kafka.topic-prefix";
    public static final String WRITE_TIMEOUT = "beacon.control-plane.write-timeout";
    public static final String START_TIMEOUT = "beacon.control-plane.start-timeout";
    public static final String ADMIN_TOKEN = "beacon.control-plane.admin-token";
    public static final String REPLICATION_FACTOR = "beacon.control-plane.config-topic.replication-factor";
    public static final String MIN_COMPACTION_LAG = "beacon.control-plane.config-topic.min-compaction-lag";
    public static final String KAFKA_PROPERTIES = "beacon.control-plane.kafka-properties";
    public static final String ALLOW_PRIVATE_DESTINATION_ADDRESSES = "beacon.destinations.allow-private-addresses";

    public ControlPlaneSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        adminToken = adminToken == null ? Optional.empty() : adminToken.filter(t -> !t.isBlank());
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
    }

    /** Without the destination address setting: private destination addresses are refused. */
    public ControlPlaneSettings(String bootstrapServers, String topicPrefix, Duration writeTimeout,
                                Duration startTimeout, Optional<String> adminToken, short replicationFactor,
                                Duration minCompactionLag, Map<String, String> kafkaProperties) {
        this(bootstrapServers, topicPrefix, writeTimeout, startTimeout, adminToken, replicationFactor,
                minCompactionLag, kafkaProperties, false);
    }

    /** Reads the settings; {@code config} must include this module's reference configuration. */
    public static ControlPlaneSettings fromConfig(Config config) {
        Map<String, String> props = new HashMap<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig(KAFKA_PROPERTIES).entrySet()) {
            props.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        int rf = config.getInt(REPLICATION_FACTOR);
        if (rf < 1 || rf > Short.MAX_VALUE) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + " must be >= 1");
        }
        return new ControlPlaneSettings(
                config.getString(BOOTSTRAP_SERVERS),
                config.getString(TOPIC_PREFIX),
                config.getDuration(WRITE_TIMEOUT),
                config.getDuration(START_TIMEOUT),
                Optional.of(config.getString(ADMIN_TOKEN)),
                (short) rf,
                config.getDuration(MIN_COMPACTION_LAG),
                props,
                config.getBoolean(ALLOW_PRIVATE_DESTINATION_ADDRESSES));
    }

    /** The config topic: {@code topicPrefix + "beacon.config"}. */
    public String configTopic() {
        return ConfigTopic.withPrefix(topicPrefix);
    }

    public ControlPlaneSettings withAdminToken(String token) {
        return new ControlPlaneSettings(bootstrapServers, topicPrefix, writeTimeout, startTimeout,
                Optional.ofNullable(token), replicationFactor, minCompactionLag, kafkaProperties,
                allowPrivateDestinationAddresses);
    }

    /** Never prints the admin token. */
    @Override
    public String toString() {
        return "ControlPlaneSettings[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                + ", writeTimeout=" + writeTimeout + ", startTimeout=" + startTimeout
                + ", adminToken=" + (adminToken.isPresent() ? "<set>" : "<none>")
                + ", allowPrivateDestinationAddresses=" + allowPrivateDestinationAddresses + "]";
    }
}
