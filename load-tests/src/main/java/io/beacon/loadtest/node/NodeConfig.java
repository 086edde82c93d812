package io.beacon.loadtest.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of a Beacon node isolated on a shared stack: its own topic prefix, ClickHouse
 * database, Streams application id, sink group, state directory and write key, all derived from one
 * {@code name}. The same isolation the platform's integration tests use.
 */
public final class NodeConfig {
    private final String name;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private NodeConfig(String name) {
        this.name = name;
    }

    /**
     * @param name             a Kafka- and ClickHouse-safe name ({@code [a-z][a-z0-9_]*}), unique on the stack
     * @param roles            {@code all} or a comma-separated list (gateway, streams, sink)
     * @param bootstrapServers the stack's Kafka
     * @param clickhouseUrl    the stack's ClickHouse HTTP URL
     */
    public static NodeConfig of(String name, String roles, String bootstrapServers, String clickhouseUrl) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain lower-case identifier: " + name);
        }
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("beacon-streams-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NodeConfig c = new NodeConfig(name);
        c.settings.put("beacon.roles", roles);
        c.settings.put("beacon.http.host", "127.0.0.1");
        c.settings.put("beacon.http.port", "0");
        c.settings.put("beacon.kafka.bootstrap-servers", bootstrapServers);
        c.settings.put("beacon.kafka.topic-prefix", name + ".");
        c.settings.put("beacon.clickhouse.url", clickhouseUrl);
        c.settings.put("beacon.clickhouse.database", name);
        c.settings.put("beacon.streams.application-id", "streams-" + name);
        c.settings.put("beacon.streams.state-dir", stateDir.toString());
        c.settings.put("beacon.sink.group-id", "sink-" + name);
        c.settings.put("beacon.bootstrap-project.id", "proj_" + name);
        c.settings.put("beacon.bootstrap-project.write-key", writeKeyOf(name));
        c.settings.put("beacon.destinations.allow-private-addresses", "true"); // receivers run on 127.0.0.1
        return c;
    }

    /** The write key the node accepts. */
    public String writeKey() {
        return settings.get("beacon.bootstrap-project.write-key");
    }

    /** The project id the node stores events under. */
    public String projectId() {
        return settings.get("beacon.bootstrap-project.id");
    }

    /** The ClickHouse database of the node. */
    public String database() {
        return settings.get("beacon.clickhouse.database");
    }

    /** The topic prefix of the node. */
    public String topicPrefix() {
        return settings.get("beacon.kafka.topic-prefix");
    }

    public String name() {
        return name;
    }

    /** Overrides one setting (e.g. {@code beacon.sink.flush-interval}). */
    public NodeConfig with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The explicit settings (what a child JVM gets as {@code -Dkey=value}). */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    /** The settings over the platform's reference and application configuration. */
    public Config config() {
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
    }

    /** Write keys must be 16 to 200 characters (control plane rule); a fixed suffix makes short names fit. */
    private static String writeKeyOf(String name) {
        return "wk_" + name + "_loadtest_key";
    }
}
