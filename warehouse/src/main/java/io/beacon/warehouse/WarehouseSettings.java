package io.beacon.warehouse;

import com.typesafe.config.Config;
import io.beacon.event.TopicNames;
import java.util.Objects;

/**
 * Everything the warehouse reads from configuration ({@code reference.conf} of this module documents
 * every key and its default).
 *
 * @param clickhouse       server address, database and credentials ({@code beacon.clickhouse})
 * @param sink             the events sink's batching and retry behaviour ({@code beacon.sink})
 * @param bootstrapServers Kafka bootstrap servers ({@value #BOOTSTRAP_SERVERS})
 * @param topicPrefix      prefix of every topic name ({@value #TOPIC_PREFIX})
 */
public record WarehouseSettings(
        ClickHouseSettings clickhouse,
        SinkSettings sink,
        String bootstrapServers,
        String topicPrefix) {

    /** Kafka bootstrap servers, shared with the other modules. Default {@code 127.0.0.1:9092}. */
    public static final String BOOTSTRAP_SERVERS = "beacon.kafka.bootstrap-servers";
    /** Prefix put in front of every topic name. Default {@code ""}. */
    public static final String TOPIC_PREFIX = "beacon.kafka.topic-prefix";

    public WarehouseSettings {
        Objects.requireNonNull(clickhouse, "clickhouse");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
    }

    /** Reads the settings from a config that includes this module's {@code reference.conf}. */
    public static WarehouseSettings fromConfig(Config config) {
        return new WarehouseSettings(
                ClickHouseSettings.fromConfig(config),
                SinkSettings.fromConfig(config),
                config.getString(BOOTSTRAP_SERVERS),
                config.getString(TOPIC_PREFIX));
    }

    /** The topic names under {@link #topicPrefix()}. */
    public TopicNames topics() {
        return TopicNames.withPrefix(topicPrefix);
    }

    /** A copy with other topic names (tests isolate themselves by prefix). */
    public WarehouseSettings withTopicPrefix(String prefix) {
        return new WarehouseSettings(clickhouse, sink, bootstrapServers, prefix);
    }

    /** A copy pointing at other Kafka brokers. */
    public WarehouseSettings withBootstrapServers(String servers) {
        return new WarehouseSettings(clickhouse, sink, servers, topicPrefix);
    }

    /** A copy with other ClickHouse settings. */
    public WarehouseSettings withClickHouse(ClickHouseSettings settings) {
        return new WarehouseSettings(settings, sink, bootstrapServers, topicPrefix);
    }

    /** A copy with other sink settings. */
    public WarehouseSettings withSink(SinkSettings settings) {
        return new WarehouseSettings(clickhouse, settings, bootstrapServers, topicPrefix);
    }
}
