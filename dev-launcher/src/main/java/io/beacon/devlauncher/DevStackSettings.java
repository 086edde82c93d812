package io.beacon.devlauncher;

import com.typesafe.config.Config;
import io.beacon.platform.RunState;
import java.nio.file.Path;

/**
 * Where {@code ./beacon up} keeps the dev stack and on which ports it listens ({@code beacon.dev-stack}).
 *
 * @param dir                 data, logs and run state ({@code beacon.dev-stack.dir} under {@code beacon.home})
 * @param kafkaPort           the broker's client listener
 * @param kafkaControllerPort the broker's KRaft controller listener
 * @param clickhouseHttpPort  ClickHouse's HTTP interface
 * @param clickhouseTcpPort   ClickHouse's native protocol
 */
public record DevStackSettings(Path dir, int kafkaPort, int kafkaControllerPort, int clickhouseHttpPort,
                               int clickhouseTcpPort) {
    public static final String KAFKA_PORT = "beacon.dev-stack.kafka-port";
    public static final String KAFKA_CONTROLLER_PORT = "beacon.dev-stack.kafka-controller-port";
    public static final String CLICKHOUSE_HTTP_PORT = "beacon.dev-stack.clickhouse-http-port";
    public static final String CLICKHOUSE_TCP_PORT = "beacon.dev-stack.clickhouse-tcp-port";

    public static DevStackSettings fromConfig(Config c) {
        return new DevStackSettings(RunState.devDir(c), c.getInt(KAFKA_PORT), c.getInt(KAFKA_CONTROLLER_PORT),
                c.getInt(CLICKHOUSE_HTTP_PORT), c.getInt(CLICKHOUSE_TCP_PORT));
    }
}
