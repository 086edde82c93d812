package io.beacon.platform;

import io.beacon.streams.runtime.EventPipeline;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.TopicTableSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The readiness check behind {@code /health/ready}: Kafka reachable, and for the roles that run,
 * ClickHouse reachable with every migration applied, the topology running, the sink running, the engine
 * consuming (not while it restores a partition from its changelog).
 * Each probe is bounded by {@code beacon.readiness.probe-timeout}; callers run it off the HTTP
 * dispatcher.
 */
public final class Readiness {
    private final PlatformSettings settings;
    private final String bootstrapServers;
    private final ClickHouse clickhouse;
    private final Migrations migrations;
    private final EventPipeline pipeline;
    private final TopicTableSink sink;
    private volatile Admin admin;
    private volatile EngineWiring engine;
    private volatile ConnectorsWiring connectors;
    private volatile DqWiring dq;

    Readiness(PlatformSettings settings, String bootstrapServers, ClickHouse clickhouse, Migrations migrations,
              EventPipeline pipeline, TopicTableSink sink) {
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.clickhouse = clickhouse;
        this.migrations = migrations;
        this.pipeline = pipeline;
        this.sink = sink;
    }

    /** Adds the engine's check (false while it restores a partition from the changelog); null = no engine. */
    void engine(EngineWiring engine) {
        this.engine = engine;
    }

    /** Adds the connectors' check (the outbox worker and trigger router assigned and running); null = none. */
    void connectors(ConnectorsWiring connectors) {
        this.connectors = connectors;
    }

    /** Adds the data-quality collector's check; null = none. */
    void dataQuality(DqWiring dq) {
        this.dq = dq;
    }

    /** Check name → "ok" or the problem; ready when every value is "ok". */
    Map<String, String> check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("kafka", kafka());
        if (clickhouse != null) {
            boolean up = clickhouse.ping();
            checks.put("clickhouse", up ? "ok" : "unreachable at " + clickhouse.settings().url());
            if (up) {
                checks.put("migrations", migrationsState());
            }
        }
        if (pipeline != null) {
            checks.put("streams", pipeline.isRunning() ? "ok" : "state " + pipeline.state());
        }
        if (sink != null) {
            checks.put("sink", sink.isRunning() ? "ok" : "stopped: " + sink.stats().lastError());
        }
        EngineWiring e = engine;
        if (e != null) {
            checks.put("engine", e.readiness());
        }
        ConnectorsWiring c = connectors;
        if (c != null) {
            checks.put("connectors", c.readiness());
        }
        DqWiring q = dq;
        if (q != null) {
            checks.put("data_quality", q.readiness());
        }
        return checks;
    }

    /** True when every check of {@link BeaconNode#awaitReady} answered "ok". */
    public static boolean allOk(Map<String, String> checks) {
        return checks.values().stream().allMatch("ok"::equals);
    }

    private String migrationsState() {
        try {
            return migrations.isUpToDate() ? "ok"
                    : "at version " + migrations.appliedVersion() + " of " + migrations.latestVersion();
        } catch (RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private String kafka() {
        long timeoutMs = settings.probeTimeout().toMillis();
        try {
            admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 500, TimeUnit.MILLISECONDS);
            return "ok";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return "unreachable at " + bootstrapServers;
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties p = new Properties();
                    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.probeTimeout().toMillis());
                    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.probeTimeout().toMillis() + 500);
                    admin = Admin.create(p);
                }
                a = admin;
            }
        }
        return a;
    }

    void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
