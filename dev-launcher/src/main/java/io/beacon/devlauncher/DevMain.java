package io.beacon.devlauncher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.devstack.BeaconStack;
import io.beacon.platform.BeaconNode;
import io.beacon.platform.DevProject;
import io.beacon.platform.PlatformSettings;
import io.beacon.platform.Readiness;
import io.beacon.platform.RunState;
import io.beacon.warehouse.ClickHouseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The dev-stack commands of {@code ./beacon}: {@code up}, {@code down}, {@code status}. Wiring only.
 * They live here, not in {@code platform}, because {@code up} starts the dev stack (a Kafka broker
 * in-process, a ClickHouse server process) and the dev stack brings the broker jars and JUnit, which the
 * platform's production classpath ({@code ./beacon run}) must not carry.
 */
public final class DevMain {
    private DevMain() {
    }

    public static void main(String[] args) {
        String cmd = args.length == 0 ? "help" : args[0];
        int code;
        try {
            code = switch (cmd) {
                case "up" -> up();
                case "status" -> status();
                case "down" -> down();
                default -> {
                    System.err.println("usage: beacon up | down | status  (run, sql, dlq: io.beacon.platform.BeaconMain)");
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("beacon " + cmd + ": " + e.getMessage());
            code = 1;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the dev stack (Kafka + ClickHouse) and every role, in the foreground, until Ctrl-C. */
    private static int up() {
        long t0 = System.nanoTime();
        Config base = ConfigFactory.load();
        DevStackSettings ds = DevStackSettings.fromConfig(base);
        Path dev = ds.dir();
        Optional<RunState> running = RunState.readLive(dev);
        if (running.isPresent()) {
            throw new IllegalStateException("a stack is already running (pid " + running.get().pid() + ", "
                    + running.get().httpUrl() + "); stop it with ./beacon down");
        }
        DevProject project = DevProject.loadOrCreate(dev.resolve("dev-project.json"),
                base.getString(PlatformSettings.PROJECT_ID), base.getString(PlatformSettings.PROJECT_NAME));
        System.out.println("Starting Kafka (127.0.0.1:" + ds.kafkaPort() + ") and ClickHouse (127.0.0.1:"
                + ds.clickhouseHttpPort() + ") under " + dev + " ...");
        BeaconStack stack = BeaconStack.start(dev, ds.kafkaPort(), ds.kafkaControllerPort(),
                ds.clickhouseHttpPort(), ds.clickhouseTcpPort());
        Config config = ConfigFactory.parseMap(Map.of(
                        PlatformSettings.ROLES, "all",
                        "beacon.kafka.bootstrap-servers", stack.kafka().bootstrapServers(),
                        "beacon.clickhouse.url", stack.clickhouse().httpUrl(),
                        "beacon.streams.state-dir", dev.resolve("streams").toString(),
                        "beacon.engine.state-dir", dev.resolve("engine").toString(),
                        PlatformSettings.PROJECT_ID, project.id(),
                        PlatformSettings.WRITE_KEY, project.writeKey(),
                        PlatformSettings.SECRET_KEY, project.secretKey(),
                        // CDP destinations may point at receivers on this machine (issue 17 item 8)
                        "beacon.destinations.allow-private-addresses", "true"))
                .withFallback(base).resolve();
        System.out.println("Starting Beacon roles (gateway, streams, sink, engine, connectors) ...");
        BeaconNode node;
        try {
            node = BeaconNode.start(config);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        // The config store is the source of truth for keys (they may have been rotated through the
        // API): keep .beacon/dev-project.json in step so ./beacon status prints the working ones.
        DevProject stored = node.controlPlane().projects().byId(project.id())
                .map(p -> new DevProject(p.id(), p.name(), p.writeKey(), p.secretKey())).orElse(project);
        if (!stored.equals(project)) {
            stored.save(dev.resolve("dev-project.json"));
            project = stored;
        }
        Map<String, String> checks = node.awaitReady(Duration.ofSeconds(90));
        if (!Readiness.allOk(checks)) {
            node.close();
            stack.close();
            throw new IllegalStateException("Beacon did not become ready within 90 s: " + checks);
        }
        RunState state = new RunState(ProcessHandle.current().pid(), node.httpUrl(), stack.kafka().bootstrapServers(),
                stack.clickhouse().httpUrl(), config.getString(ClickHouseSettings.DATABASE), stack.clickhouse().pid(),
                project.id(), System.currentTimeMillis());
        state.write(dev);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Beacon ...");
            node.close();
            stack.close();
            RunState.delete(dev);
            System.out.println("Stopped.");
            stopped.countDown();
        }, "beacon-shutdown"));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Beacon ready in %.1f s: %s  project=%s  write_key=%s  secret_key=%s%n",
                secs, node.httpUrl(), project.id(), project.writeKey(), project.secretKey());
        System.out.println("  collect:  " + node.httpUrl() + "/v1/track (Segment API; write key as Basic-auth user)");
        System.out.println("  health:   " + node.httpUrl() + "/health/ready");
        System.out.println("  query:    ./beacon sql \"SELECT count() FROM events FINAL\"");
        System.out.println("Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int status() {
        Path dev = RunState.devDir(ConfigFactory.load());
        Optional<RunState> s = RunState.readLive(dev);
        if (s.isEmpty()) {
            System.out.println("Beacon is not running (start it with ./beacon up)");
            return 3;
        }
        RunState st = s.get();
        DevProject p = DevProject.loadOrCreate(dev.resolve("dev-project.json"), st.projectId(), "Development");
        System.out.println("Beacon is running (pid " + st.pid() + ")");
        System.out.println("  http:       " + st.httpUrl() + "  (collect /v1/*, health /health/ready)");
        System.out.println("  kafka:      " + st.kafkaBootstrap());
        System.out.println("  clickhouse: " + st.clickhouseUrl() + "  database " + st.clickhouseDatabase() + " (pid " + st.clickhousePid() + ")");
        System.out.println("  data:       " + dev);
        System.out.println("project=" + p.id());
        System.out.println("write_key=" + p.writeKey());
        System.out.println("secret_key=" + p.secretKey());
        return 0;
    }

    private static int down() {
        Optional<RunState> s = RunState.readLive(RunState.devDir(ConfigFactory.load()));
        if (s.isEmpty()) {
            System.out.println("Beacon is not running.");
            return 0;
        }
        ProcessHandle h = ProcessHandle.of(s.get().pid()).orElseThrow();
        System.out.println("Stopping Beacon (pid " + h.pid() + ") ...");
        h.destroy(); // SIGTERM: the up process's shutdown hook stops roles, ClickHouse and Kafka cleanly
        try {
            h.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("pid " + h.pid() + " did not stop within 60 s; inspect it before killing it");
        }
        System.out.println("Stopped.");
        return 0;
    }
}
