package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.beacon.cdp.dlq.CdpDlqCommand;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.dlq.DeadLetterBrowser;
import io.beacon.control.dlq.DeadLetterFilter;
import io.beacon.control.dlq.DeadLetterJson;
import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.control.dlq.DeadLetterReplayer;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import io.beacon.control.dlq.ReplaySelection;
import io.beacon.event.RejectionCode;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * The production command line (the {@code ./beacon} script calls it): {@code run}, {@code sql},
 * {@code dlq}, {@code cdp dlq}, {@code cdp resync}, {@code ml} ({@link MlCommand}). Wiring only. The dev-stack commands {@code up}, {@code down} and {@code status} live in the
 * {@code dev-launcher} module ({@code io.beacon.devlauncher.DevMain}), so this module's runtime classpath
 * carries neither the Kafka broker nor JUnit.
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
                case "run" -> run(rest);
                case "sql" -> sql(rest);
                case "dlq" -> dlq(rest);
                case "cdp" -> cdp(rest);
                case "dq" -> dq(DqCommand.parse(rest));
                case "ml" -> MlCommand.execute(rest, ConfigFactory.load(), System.out, System.err);
                case "up", "down", "status" -> {
                    System.err.println("beacon " + cmd + ": a dev-stack command, not part of the platform's production classpath;"
                            + " use ./beacon " + cmd + " (module dev-launcher, io.beacon.devlauncher.DevMain)");
                    yield 2;
                }
                default -> {
                    System.err.println("usage: beacon run [--roles gateway,streams,sink] | sql \"SELECT …\" | dlq list|replay … | cdp dlq list|replay … | cdp resync --destination D | dq reconcile --hour H"
                            + " | ml train|dataset|list … (./beacon ml help)"
                            + "  (up, down, status: ./beacon, module dev-launcher)");
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
        Map<String, String> checks = node.awaitReady(Duration.ofSeconds(90));
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

    private static int sql(String[] args) {
        if (args.length == 0 || args[0].isBlank()) {
            throw new IllegalArgumentException("usage: ./beacon sql \"SELECT …\"");
        }
        String query = String.join(" ", args);
        Config config = ConfigFactory.load();
        ClickHouseSettings settings = ClickHouseSettings.fromConfig(config);
        Optional<RunState> s = RunState.readLive(RunState.devDir(config));
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
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        DeadLetterSettings settings = deadLetterSettings();
        Optional<String> project = Optional.ofNullable(opts.remove("project"));
        Optional<RejectionCode> code = Optional.ofNullable(opts.remove("code")).map(BeaconMain::rejectionCode);
        try {
            if (args[0].equals("list")) {
                String stage = opts.remove("stage");
                int limit = Integer.parseInt(opts.getOrDefault("limit", "100"));
                opts.remove("limit");
                requireNoneLeft(opts);
                DeadLetterFilter filter = project.map(DeadLetterFilter::project)
                        .orElse(DeadLetterFilter.all());
                if (code.isPresent()) {
                    filter = filter.withCode(code.get());
                }
                if (stage != null) {
                    filter = filter.withStage(stage);
                }
                System.out.println(DeadLetterJson.page(
                        new DeadLetterBrowser(settings).list(filter, limit)).toPrettyString());
            } else {
                Set<String> ids = new LinkedHashSet<>();
                String idList = opts.remove("event-id");
                if (idList != null) {
                    ids.addAll(Arrays.asList(idList.split(",")));
                }
                Set<DeadLetterPosition> positions = new TreeSet<>();
                String offsets = opts.remove("offset");
                if (offsets != null) {
                    for (String po : offsets.split(",")) {
                        String[] parts = po.split(":");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--offset takes PARTITION:OFFSET, got '" + po + "'");
                        }
                        positions.add(new DeadLetterPosition(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
                    }
                }
                requireNoneLeft(opts);
                ReplaySelection selection = new ReplaySelection(project, code, ids, positions);
                System.out.println(DeadLetterJson.result(
                        new DeadLetterReplayer(settings).replay(selection)).toPrettyString());
            }
        } catch (DeadLetterUnavailableException e) {
            throw new IllegalStateException("Kafka did not answer: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
        return 0;
    }

    /**
     * {@code cdp dlq list|replay …} ({@link CdpDlqCommand}): the connectors' dead letters of the running dev stack
     * (or the configured Kafka), as JSON.
     */
    private static int cdp(String[] args) {
        if (args.length > 0 && args[0].equals("resync")) {
            return cdpResync(CdpResyncCommand.parse(args));
        }
        CdpDlqCommand command = CdpDlqCommand.parse(args);
        try {
            System.out.println(command.run(deadLetterSettings()).toPrettyString());
        } catch (DeadLetterUnavailableException e) {
            throw new IllegalStateException("Kafka did not answer: " + e.getMessage());
        }
        return 0;
    }

    /**
     * {@code cdp resync --destination D …} ({@link CdpResyncCommand}): a full resync of a CRM destination's audience
     * through the node's API (the running dev stack and its dev project unless {@code --url}/{@code --secret-key}).
     */
    private static int cdpResync(CdpResyncCommand command) {
        Config config = ConfigFactory.load();
        Path dev = RunState.devDir(config);
        String url = command.url() != null ? command.url() : RunState.readLive(dev).map(RunState::httpUrl)
                .orElseThrow(() -> new IllegalStateException("no running dev stack (./beacon up); pass --url"));
        String key = command.secretKey() != null ? command.secretKey()
                : Optional.ofNullable(System.getenv("BEACON_SECRET_KEY")).filter(k -> !k.isBlank())
                .or(() -> CdpResyncCommand.devSecretKey(dev))
                .orElseThrow(() -> new IllegalStateException("no secret key: pass --secret-key or set BEACON_SECRET_KEY"));
        System.out.println(command.run(HttpClient.newHttpClient(), url, key).toPrettyString());
        return 0;
    }

    /**
     * {@code dq reconcile --hour H …} ({@link DqCommand}): one window reconciled end to end through the node's API (the
     * running dev stack and its dev project unless {@code --url}/{@code --secret-key}); prints the report.
     */
    private static int dq(DqCommand command) {
        Config config = ConfigFactory.load();
        Path dev = RunState.devDir(config);
        String url = command.url() != null ? command.url() : RunState.readLive(dev).map(RunState::httpUrl)
                .orElseThrow(() -> new IllegalStateException("no running dev stack (./beacon up); pass --url"));
        String key = command.secretKey() != null ? command.secretKey()
                : Optional.ofNullable(System.getenv("BEACON_SECRET_KEY")).filter(k -> !k.isBlank())
                .or(() -> CdpResyncCommand.devSecretKey(dev))
                .orElseThrow(() -> new IllegalStateException("no secret key: pass --secret-key or set BEACON_SECRET_KEY"));
        JsonNode report = command.run(HttpClient.newHttpClient(), url, key);
        System.out.println(report.toPrettyString());
        return report.path("alert").asBoolean() ? 3 : 0;
    }

    /** The DLQ settings of the running dev stack's Kafka, else of the configured one. */
    private static DeadLetterSettings deadLetterSettings() {
        Config config = ConfigFactory.load();
        Optional<RunState> s = RunState.readLive(RunState.devDir(config));
        if (s.isPresent()) {
            config = config.withValue("beacon.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(s.get().kafkaBootstrap()));
        }
        return DeadLetterSettings.from(ControlPlaneSettings.fromConfig(config));
    }

    private static RejectionCode rejectionCode(String name) {
        try {
            return RejectionCode.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown reason code '" + name + "'; one of " + Arrays.toString(RejectionCode.values()));
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
