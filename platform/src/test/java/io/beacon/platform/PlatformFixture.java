package io.beacon.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A platform configuration isolated inside the shared test stack: its own topic prefix, ClickHouse
 * database, Streams application id, sink group, state dir and write key.
 */
final class PlatformFixture {
    final String name;
    final String writeKey;
    final String database;
    final Map<String, String> settings = new LinkedHashMap<>();
    final TestStack stack;

    PlatformFixture(TestStack stack, String base, int httpPort) {
        this.stack = stack;
        this.name = stack.uniqueName(base);
        this.writeKey = "wk_" + name + "_test_write_key";
        this.database = name;
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("beacon-streams-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.put("beacon.roles", "all");
        settings.put("beacon.http.host", "127.0.0.1");
        settings.put("beacon.http.port", Integer.toString(httpPort));
        settings.put("beacon.kafka.bootstrap-servers", stack.bootstrapServers());
        settings.put("beacon.kafka.topic-prefix", name + ".");
        settings.put("beacon.clickhouse.url", stack.clickhouseHttpUrl());
        settings.put("beacon.clickhouse.database", database);
        settings.put("beacon.streams.application-id", "streams-" + name);
        settings.put("beacon.streams.state-dir", stateDir.toString());
        settings.put("beacon.sink.group-id", "sink-" + name);
        settings.put("beacon.bootstrap-project.id", "proj_" + name);
        settings.put("beacon.bootstrap-project.write-key", writeKey);
        settings.put("beacon.destinations.allow-private-addresses", "true"); // receivers run on 127.0.0.1
    }

    Config config() {
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
    }

    ClickHouse clickhouse() {
        return ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), database));
    }

    /** Polls {@code value} until it equals {@code expected} or the deadline passes; returns the last value. */
    static long awaitValue(LongSupplier value, long expected, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        long last = value.getAsLong();
        while (last != expected && System.nanoTime() < end) {
            try {
                Thread.sleep(200); // poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = value.getAsLong();
        }
        return last;
    }

    /** {@code count()} of a query, or -1 while the table does not exist yet. */
    static long count(ClickHouse ch, String sql) {
        try {
            return ch.queryLong(sql);
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
