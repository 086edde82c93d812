package io.beacon.control.dlq;

import io.beacon.control.ControlPlaneSettings;
import io.beacon.event.TopicNames;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the dead-letter tools read and write, and their bounds.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics           the event topics (prefix-aware): reads {@link TopicNames#dlq()}, replays to {@link TopicNames#raw()}
 * @param kafkaProperties  extra client properties (security), as for the config store
 * @param timeout          how long one listing or replay may take to read the DLQ to its end, or to get
 *                         the replayed records acknowledged
 * @param maxScanned       at most this many DLQ records are read per call; beyond it a listing is marked
 *                         truncated (the DLQ keeps 30 days, so this bounds a call's cost)
 */
public record DeadLetterSettings(String bootstrapServers, TopicNames topics, Map<String, String> kafkaProperties,
                                 Duration timeout, long maxScanned) {

    /** Default {@link #timeout()}: below pekko-http's 20 s request timeout, so the API answers its own 503. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** Default {@link #maxScanned()}. */
    public static final long DEFAULT_MAX_SCANNED = 1_000_000;

    public DeadLetterSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(timeout, "timeout");
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        if (maxScanned < 1) {
            throw new IllegalArgumentException("maxScanned must be positive: " + maxScanned);
        }
    }

    /** The control plane's Kafka servers, topic prefix and client properties, with the default bounds. */
    public static DeadLetterSettings from(ControlPlaneSettings settings) {
        return new DeadLetterSettings(settings.bootstrapServers(), TopicNames.withPrefix(settings.topicPrefix()),
                settings.kafkaProperties(), DEFAULT_TIMEOUT, DEFAULT_MAX_SCANNED);
    }

    public DeadLetterSettings withTimeout(Duration newTimeout) {
        return new DeadLetterSettings(bootstrapServers, topics, kafkaProperties, newTimeout, maxScanned);
    }

    public DeadLetterSettings withMaxScanned(long newMaxScanned) {
        return new DeadLetterSettings(bootstrapServers, topics, kafkaProperties, timeout, newMaxScanned);
    }
}
