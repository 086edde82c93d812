package io.beacon.streams.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.beacon.control.discovery.DiscoveryTopic;
import io.beacon.event.TopicNames;
import io.beacon.streams.sessions.SessionSettings;
import io.beacon.streams.time.TimestampSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Typed settings of the event pipeline, read once from HOCON ({@code reference.conf} documents every key).
 *
 * @param applicationId          {@value #APPLICATION_ID}
 * @param bootstrapServers       {@value #BOOTSTRAP_SERVERS}
 * @param topics                 from {@value #TOPIC_PREFIX}
 * @param dedupHorizon           {@value #DEDUP_HORIZON}
 * @param numStreamThreads       {@value #NUM_STREAM_THREADS}
 * @param commitInterval         {@value #COMMIT_INTERVAL}
 * @param stateDir               {@value #STATE_DIR}
 * @param replicationFactor      {@value #REPLICATION_FACTOR} (internal topics)
 * @param topicPartitions        {@value #TOPIC_PARTITIONS}
 * @param topicReplicationFactor {@value #TOPIC_REPLICATION_FACTOR}
 * @param eventsRetention        {@value #EVENTS_RETENTION}
 * @param dlqRetention           {@value #DLQ_RETENTION}
 * @param kafkaProperties        {@value #KAFKA_PROPERTIES}, passed through to Kafka Streams
 * @param discoveryInterval      {@value #DISCOVERY_INTERVAL}
 * @param sessions               {@code beacon.streams.sessions.*}: gap, max length, grace, state retention
 * @param timestamps             {@code beacon.streams.timestamps.*}: the timestamp rule
 */
public record TopologySettings(
        String applicationId,
        String bootstrapServers,
        TopicNames topics,
        Duration dedupHorizon,
        int numStreamThreads,
        Duration commitInterval,
        Path stateDir,
        int replicationFactor,
        int topicPartitions,
        short topicReplicationFactor,
        Duration eventsRetention,
        Duration dlqRetention,
        Map<String, String> kafkaProperties,
        Duration discoveryInterval,
        SessionSettings sessions,
        TimestampSettings timestamps) {

    /** Kafka bootstrap servers, shared with the gateway. Default {@code "127.0.0.1:9092"}. */
    public static final String BOOTSTRAP_SERVERS = "beacon.kafka.bootstrap-servers";
    /** Prefix of every topic name. Default {@code ""}. */
    public static final String TOPIC_PREFIX = "beacon.kafka.topic-prefix";
    /** Kafka Streams {@code application.id}. Default {@code "beacon-streams"}. */
    public static final String APPLICATION_ID = "beacon.streams.application-id";
    /** Dedup horizon. Default 7 days. */
    public static final String DEDUP_HORIZON = "beacon.streams.dedup-horizon";
    /** {@code num.stream.threads}. Default 1. */
    public static final String NUM_STREAM_THREADS = "beacon.streams.num-stream-threads";
    /** {@code commit.interval.ms}. Default 100 ms. */
    public static final String COMMIT_INTERVAL = "beacon.streams.commit-interval";
    /** {@code state.dir}. Default {@code .beacon/streams}. */
    public static final String STATE_DIR = "beacon.streams.state-dir";
    /** {@code replication.factor} of internal topics. Default 1. */
    public static final String REPLICATION_FACTOR = "beacon.streams.replication-factor";
    /** Partitions of raw/valid/dlq when created. Default 3. */
    public static final String TOPIC_PARTITIONS = "beacon.streams.topics.partitions";
    /** Replication factor of raw/valid/dlq when created. Default 1. */
    public static final String TOPIC_REPLICATION_FACTOR = "beacon.streams.topics.replication-factor";
    /** {@code retention.ms} of raw and valid when created. Default 7 days. */
    public static final String EVENTS_RETENTION = "beacon.streams.topics.events-retention";
    /** {@code retention.ms} of the DLQ when created. Default 30 days. */
    public static final String DLQ_RETENTION = "beacon.streams.topics.dlq-retention";
    /** Extra Kafka Streams properties. Default none. */
    public static final String KAFKA_PROPERTIES = "beacon.streams.kafka-properties";
    /** How often discovered items are published (at most once per item per interval). Default 5 s. */
    public static final String DISCOVERY_INTERVAL = "beacon.streams.discovery.publish-interval";

    /** Inactivity that ends a session. Default 30 min. */
    public static final String SESSION_GAP = "beacon.streams.sessions.gap";
    /** Longest session. Default 24 h. */
    public static final String SESSION_MAX_LENGTH = "beacon.streams.sessions.max-length";
    /** How late an event may be and still be attributed as if in order. Default 5 min. */
    public static final String SESSION_GRACE = "beacon.streams.sessions.grace";
    /** How long a device's session state outlives its last event. Default 2 days. */
    public static final String SESSION_STATE_RETENTION = "beacon.streams.sessions.state-retention";
    /** Event times further ahead of the received time are clamped. Default 23 h. */
    public static final String TIMESTAMP_MAX_FUTURE = "beacon.streams.timestamps.max-future";
    /** Event times older than this before the received time are flagged. Default 30 days. */
    public static final String TIMESTAMP_TOO_OLD_AFTER = "beacon.streams.timestamps.too-old-after";
    /** Largest shift applied to keep a device's event order. Default 5 min. */
    public static final String TIMESTAMP_MAX_ORDER_CORRECTION = "beacon.streams.timestamps.max-order-correction";

    public TopologySettings {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(dedupHorizon, "dedupHorizon");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(eventsRetention, "eventsRetention");
        Objects.requireNonNull(dlqRetention, "dlqRetention");
        Objects.requireNonNull(discoveryInterval, "discoveryInterval");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(timestamps, "timestamps");
        requirePositive(dedupHorizon, DEDUP_HORIZON);
        requirePositive(discoveryInterval, DISCOVERY_INTERVAL);
        if (numStreamThreads < 1) {
            throw new IllegalArgumentException(NUM_STREAM_THREADS + " must be at least 1, got " + numStreamThreads);
        }
        if (replicationFactor < 1 || topicPartitions < 1 || topicReplicationFactor < 1) {
            throw new IllegalArgumentException("replication factors and partitions must be at least 1");
        }
        kafkaProperties = Map.copyOf(kafkaProperties == null ? Map.of() : kafkaProperties);
    }

    /** Reads the settings from {@code config}, which must include this module's {@code reference.conf}. */
    public static TopologySettings fromConfig(Config config) {
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig(KAFKA_PROPERTIES).entrySet()) {
            // entrySet() flattens nested objects into dotted paths: exactly Kafka's key format.
            extra.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
        }
        return new TopologySettings(
                config.getString(APPLICATION_ID),
                config.getString(BOOTSTRAP_SERVERS),
                TopicNames.withPrefix(config.getString(TOPIC_PREFIX)),
                config.getDuration(DEDUP_HORIZON),
                config.getInt(NUM_STREAM_THREADS),
                config.getDuration(COMMIT_INTERVAL),
                Path.of(config.getString(STATE_DIR)),
                config.getInt(REPLICATION_FACTOR),
                config.getInt(TOPIC_PARTITIONS),
                (short) config.getInt(TOPIC_REPLICATION_FACTOR),
                config.getDuration(EVENTS_RETENTION),
                config.getDuration(DLQ_RETENTION),
                extra,
                config.getDuration(DISCOVERY_INTERVAL),
                new SessionSettings(config.getDuration(SESSION_GAP), config.getDuration(SESSION_MAX_LENGTH),
                        config.getDuration(SESSION_GRACE), config.getDuration(SESSION_STATE_RETENTION)),
                new TimestampSettings(config.getDuration(TIMESTAMP_MAX_FUTURE), config.getDuration(TIMESTAMP_TOO_OLD_AFTER),
                        config.getDuration(TIMESTAMP_MAX_ORDER_CORRECTION)));
    }

    /** The topic prefix the names were built with ({@code ""} for the plain names). */
    public String topicPrefix() {
        String raw = topics.raw();
        return raw.endsWith(TopicNames.EVENTS_RAW) ? raw.substring(0, raw.length() - TopicNames.EVENTS_RAW.length()) : "";
    }

    /** The compacted topic discovery publishes to: the same prefix + {@code beacon.discovery}. */
    public String discoveryTopic() {
        return DiscoveryTopic.withPrefix(topicPrefix());
    }

    public TopologySettings withDiscoveryInterval(Duration interval) {
        return new TopologySettings(applicationId, bootstrapServers, topics, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                interval, sessions, timestamps);
    }

    public TopologySettings withApplicationId(String id) {
        return new TopologySettings(id, bootstrapServers, topics, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, timestamps);
    }

    public TopologySettings withBootstrapServers(String servers) {
        return new TopologySettings(applicationId, servers, topics, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, timestamps);
    }

    public TopologySettings withTopics(TopicNames names) {
        return new TopologySettings(applicationId, bootstrapServers, names, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, timestamps);
    }

    public TopologySettings withStateDir(Path dir) {
        return new TopologySettings(applicationId, bootstrapServers, topics, dedupHorizon, numStreamThreads, commitInterval,
                dir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, timestamps);
    }

    public TopologySettings withDedupHorizon(Duration horizon) {
        return new TopologySettings(applicationId, bootstrapServers, topics, horizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, timestamps);
    }

    public TopologySettings withSessions(SessionSettings newSessions) {
        return new TopologySettings(applicationId, bootstrapServers, topics, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, newSessions, timestamps);
    }

    public TopologySettings withTimestamps(TimestampSettings newTimestamps) {
        return new TopologySettings(applicationId, bootstrapServers, topics, dedupHorizon, numStreamThreads, commitInterval,
                stateDir, replicationFactor, topicPartitions, topicReplicationFactor, eventsRetention, dlqRetention, kafkaProperties,
                discoveryInterval, sessions, newTimestamps);
    }

    private static void requirePositive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
    }
}
