package io.beacon.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.beacon.devstack.BeaconStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.ClickHouseSettings;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code beacon} command line (the {@code ./beacon} script calls it):
 * {@code up}, {@code down}, {@code status}, {@code sql}, {@code run}. Wiring only.
 */
public final class BeaconMain {
    private BeaconMain() {
    }

    public static void main(String[] args) {
        String cmd = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        int code;
        try {
            code = switch (cmd) {
                case "up" -> up();
                case "run" -> run(rest);
                case "status" -> status();
                case "down" -> down();
                case "sql" -> sql(rest);
                case "dlq" -> dlq(rest);
                default -> {
                    System.err.println("usage: beacon up | down | status | sql \"SELECT …\" | dlq list|replay … | run [--roles gateway,streams,sink]");
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

    private static Path home() {
        return Paths.get(System.getProperty("beacon.home", ".")).toAbsolutePath().normalize();
    }

    private static Path devDir(Config config) {
        return home().resolve(config.getString("beacon.dev-stack.dir"));
    }

    /** Starts the dev stack (Kafka + ClickHouse) and every role, in the foreground, until Ctrl-C. */
    private static int up() {
        long t0 = System.nanoTime();
        Config base = ConfigFactory.load();
        Path dev = devDir(base);
        Optional<RunState> running = RunState.readLive(dev);
        if (running.isPresent()) {
            throw new IllegalStateException("a stack is already running (pid " + running.get().pid() + ", "
                    + running.get().httpUrl() + "); stop it with ./beacon down");
        }
        DevProject project = DevProject.loadOrCreate(dev.resolve("dev-project.json"),
                base.getString(PlatformSettings.PROJECT_ID), base.getString(PlatformSettings.PROJECT_NAME));
        Config ds = base.getConfig("beacon.dev-stack");
        System.out.println("Starting Kafka (127.0.0.1:" + ds.getInt("kafka-port") + ") and ClickHouse (127.0.0.1:"
                + ds.getInt("clickhouse-http-port") + ") under " + dev + " ...");
        BeaconStack stack = BeaconStack.start(dev, ds.getInt("kafka-port"), ds.getInt("kafka-controller-port"),
                ds.getInt("clickhouse-http-port"), ds.getInt("clickhouse-tcp-port"));
        Config config = ConfigFactory.parseMap(Map.of(
                        "beacon.roles", "all",
                        "beacon.kafka.bootstrap-servers", stack.kafka().bootstrapServers(),
                        "beacon.clickhouse.url", stack.clickhouse().httpUrl(),
                        "beacon.streams.state-dir", dev.resolve("streams").toString(),
                        "beacon.engine.state-dir", dev.resolve("engine").toString(),
                        PlatformSettings.PROJECT_ID, project.id(),
                        PlatformSettings.WRITE_KEY, project.writeKey(),
                        PlatformSettings.SECRET_KEY, project.secretKey()))
                .withFallback(base).resolve();
        System.out.println("Starting Beacon roles (gateway, streams, sink, engine) ...");
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
        Map<String, String> checks = node.awaitReady(java.time.Duration.ofSeconds(90));
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
        awaitForever(stopped);
        return 0;
    }

    /** Runs roles against configured Kafka/ClickHouse (a real deployment), until SIGTERM. */
    private static int run(String[] args) {
        Config config = ConfigFactory.load();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--roles") && i + 1 < args.length) {
                config = config.withValue(PlatformSettings.ROLES, ConfigValueFactory.fromAnyRef(args[++i]));
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: beacon run [--roles gateway,streams,sink]");
            }
        }
        BeaconNode node = BeaconNode.start(config);
        Map<String, String> checks = node.awaitReady(java.time.Duration.ofSeconds(90));
        if (!Readiness.allOk(checks)) {
            System.err.println("beacon run: not ready yet, still serving: " + checks);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "beacon-shutdown"));
        System.out.println("BEACON_READY " + node.httpUrl() + " roles=" + node.roles());
        awaitForever(stopped);
        return 0;
    }

    private static int status() {
        Config config = ConfigFactory.load();
        Path dev = devDir(config);
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
        Config config = ConfigFactory.load();
        Path dev = devDir(config);
        Optional<RunState> s = RunState.readLive(dev);
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

    private static int sql(String[] args) {
        if (args.length == 0 || args[0].isBlank()) {
            throw new IllegalArgumentException("usage: ./beacon sql \"SELECT …\"");
        }
        String query = String.join(" ", args);
        Config config = ConfigFactory.load();
        ClickHouseSettings settings = ClickHouseSettings.fromConfig(config);
        Optional<RunState> s = RunState.readLive(devDir(config));
        if (s.isPresent()) {
            settings = new ClickHouseSettings(s.get().clickhouseUrl(), s.get().clickhouseDatabase(), settings.user(),
                    settings.password(), settings.socketTimeout());
        }
        try (ClickHouse ch = ClickHouse.connect(settings)) {
            System.out.print(ch.queryAsTable(query));
        }
        return 0;
    }

    /**
     * {@code dlq list [--project ID] [--code CODE] [--stage STAGE] [--limit N]} and
     * {@code dlq replay [--project ID] (--code CODE | --event-id ID[,ID…] | --offset P:O[,P:O…])}: the
     * dead-letter topic of the running dev stack (or the configured Kafka), as JSON.
     */
    private static int dlq(String[] args) {
        if (args.length == 0 || !(args[0].equals("list") || args[0].equals("replay"))) {
            throw new IllegalArgumentException("usage: ./beacon dlq list [--project ID] [--code CODE] [--stage STAGE] [--limit N]"
                    + " | ./beacon dlq replay [--project ID] (--code CODE | --event-id ID[,ID...] | --offset P:O[,P:O...])");
        }
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        Config config = ConfigFactory.load();
        Optional<RunState> s = RunState.readLive(devDir(config));
        if (s.isPresent()) {
            config = config.withValue("beacon.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(s.get().kafkaBootstrap()));
        }
        io.beacon.control.dlq.DeadLetterSettings settings = io.beacon.control.dlq.DeadLetterSettings.from(
                io.beacon.control.ControlPlaneSettings.fromConfig(config));
        Optional<String> project = Optional.ofNullable(opts.remove("project"));
        Optional<io.beacon.event.RejectionCode> code = Optional.ofNullable(opts.remove("code")).map(BeaconMain::rejectionCode);
        try {
            if (args[0].equals("list")) {
                String stage = opts.remove("stage");
                int limit = Integer.parseInt(opts.getOrDefault("limit", "100"));
                opts.remove("limit");
                requireNoneLeft(opts);
                io.beacon.control.dlq.DeadLetterFilter filter = project.map(io.beacon.control.dlq.DeadLetterFilter::project)
                        .orElse(io.beacon.control.dlq.DeadLetterFilter.all());
                if (code.isPresent()) {
                    filter = filter.withCode(code.get());
                }
                if (stage != null) {
                    filter = filter.withStage(stage);
                }
                System.out.println(io.beacon.control.dlq.DeadLetterJson.page(
                        new io.beacon.control.dlq.DeadLetterBrowser(settings).list(filter, limit)).toPrettyString());
            } else {
                java.util.Set<String> ids = new java.util.LinkedHashSet<>();
                String idList = opts.remove("event-id");
                if (idList != null) {
                    ids.addAll(Arrays.asList(idList.split(",")));
                }
                java.util.Set<io.beacon.control.dlq.DeadLetterPosition> positions = new java.util.TreeSet<>();
                String offsets = opts.remove("offset");
                if (offsets != null) {
                    for (String po : offsets.split(",")) {
                        String[] parts = po.split(":");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--offset takes PARTITION:OFFSET, got '" + po + "'");
                        }
                        positions.add(new io.beacon.control.dlq.DeadLetterPosition(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
                    }
                }
                requireNoneLeft(opts);
                io.beacon.control.dlq.ReplaySelection selection = new io.beacon.control.dlq.ReplaySelection(project, code, ids, positions);
                System.out.println(io.beacon.control.dlq.DeadLetterJson.result(
                        new io.beacon.control.dlq.DeadLetterReplayer(settings).replay(selection)).toPrettyString());
            }
        } catch (io.beacon.control.dlq.DeadLetterUnavailableException e) {
            throw new IllegalStateException("Kafka did not answer: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
        return 0;
    }

    private static io.beacon.event.RejectionCode rejectionCode(String name) {
        try {
            return io.beacon.event.RejectionCode.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown reason code '" + name + "'; one of " + Arrays.toString(io.beacon.event.RejectionCode.values()));
        }
    }

    private static void requireNoneLeft(Map<String, String> opts) {
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + opts.keySet());
        }
    }

    private static void awaitForever(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
