package io.beacon.control.topicview;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.IsolationLevel;

/**
 * How a {@link KafkaTopicView} connects, creates its topic and writes. Built with {@link #builder}.
 *
 * @param name              what the view is for ({@code config}, {@code discovery}, …): in thread names,
 *                          client ids and log lines
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param topic             the compacted topic
 * @param kafkaProperties   extra client properties (security etc.), applied first
 * @param replicationFactor used when the view creates the missing topic (one partition, compacted)
 * @param minCompactionLag  {@code min.compaction.lag.ms} of a created topic; zero leaves the broker's default
 * @param startTimeout      how long creating the topic and finding its partitions may take
 * @param writeTimeout      how long a write may wait for Kafka (the producer's block and request timeouts;
 *                          its delivery timeout is twice that)
 * @param linger            the producer's {@code linger.ms}
 * @param compression       the producer's {@code compression.type}
 * @param isolation         {@code read_committed} for topics written in transactions
 * @param missingTopic      what happens when the topic cannot be created or found
 */
public record TopicViewSettings(
        String name,
        String bootstrapServers,
        String topic,
        Map<String, String> kafkaProperties,
        short replicationFactor,
        Duration minCompactionLag,
        Duration startTimeout,
        Duration writeTimeout,
        Duration linger,
        String compression,
        IsolationLevel isolation,
        MissingTopic missingTopic) {

    /** What a view does when it cannot create its topic or find its partitions. */
    public enum MissingTopic {
        /** The view fails: {@code start} throws, or the view stops after {@code startTimeout}. */
        FAIL,
        /** The view logs it and keeps asking until the topic exists (a topic another process creates). */
        WAIT
    }

    public TopicViewSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        Objects.requireNonNull(minCompactionLag, "minCompactionLag");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(missingTopic, "missingTopic");
    }

    /**
     * Settings with the defaults of a single-broker set-up: replication 1, the broker's compaction lag,
     * 60 s to start, 10 s per write, no linger, no compression, {@code read_uncommitted}, {@link MissingTopic#FAIL}.
     */
    public static Builder builder(String name, String bootstrapServers, String topic) {
        return new Builder(name, bootstrapServers, topic);
    }

    /** A builder of {@link TopicViewSettings}. */
    public static final class Builder {
        private final String name;
        private final String bootstrapServers;
        private final String topic;
        private Map<String, String> kafkaProperties = Map.of();
        private short replicationFactor = 1;
        private Duration minCompactionLag = Duration.ZERO;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration linger = Duration.ZERO;
        private String compression = "none";
        private IsolationLevel isolation = IsolationLevel.READ_UNCOMMITTED;
        private MissingTopic missingTopic = MissingTopic.FAIL;

        private Builder(String name, String bootstrapServers, String topic) {
            this.name = name;
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        public Builder kafkaProperties(Map<String, String> properties) {
            this.kafkaProperties = properties;
            return this;
        }

        public Builder replicationFactor(short factor) {
            this.replicationFactor = factor;
            return this;
        }

        public Builder minCompactionLag(Duration lag) {
            this.minCompactionLag = lag;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = timeout;
            return this;
        }

        /** Producer batching: {@code linger.ms} and {@code compression.type}. */
        public Builder batching(Duration linger, String compression) {
            this.linger = linger;
            this.compression = compression;
            return this;
        }

        public Builder isolation(IsolationLevel level) {
            this.isolation = level;
            return this;
        }

        public Builder missingTopic(MissingTopic policy) {
            this.missingTopic = policy;
            return this;
        }

        public TopicViewSettings build() {
            return new TopicViewSettings(name, bootstrapServers, topic, kafkaProperties, replicationFactor, minCompactionLag,
                    startTimeout, writeTimeout, linger, compression, isolation, missingTopic);
        }
    }
}
