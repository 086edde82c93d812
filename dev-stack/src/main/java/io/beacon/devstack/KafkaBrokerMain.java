package io.beacon.devstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaBroker} as its own JVM, for when the platform prefers a child process over an
 * in-process broker (separate heap, can be killed independently).
 *
 * <p>Usage: {@code java -cp ... io.beacon.devstack.KafkaBrokerMain --data-dir DIR [--port N] [--controller-port M]}.
 * Ports default to 0 (pick free ones). Once ready it prints one line
 * {@code BEACON_KAFKA_READY bootstrap.servers=127.0.0.1:N} to stdout so a parent can wait for it; SIGTERM
 * (or Ctrl-C) stops the broker cleanly through a shutdown hook.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    /** Starts the broker, prints the ready line, and blocks until the JVM is asked to stop. */
    public static void main(String[] args) throws InterruptedException {
        Path dataDir = null;
        int port = 0;
        int controllerPort = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--port" -> port = parsePort(arg, value);
                case "--controller-port" -> controllerPort = parsePort(arg, value);
                default -> usage("unknown option " + arg);
            }
        }
        if (dataDir == null) {
            usage("--data-dir is required");
        }
        KafkaBroker broker = KafkaBroker.start(dataDir, port, controllerPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        System.out.println("BEACON_KAFKA_READY bootstrap.servers=" + broker.bootstrapServers()
                + " controller.port=" + broker.controllerPort());
        System.out.flush();
        stopped.await();
    }

    private static int parsePort(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                usage(option + " must be between 0 and 65535: " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            usage(option + " is not a number: " + value);
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: KafkaBrokerMain --data-dir DIR [--port N] [--controller-port M]   (0 = pick a free port)");
        System.exit(2);
    }
}
