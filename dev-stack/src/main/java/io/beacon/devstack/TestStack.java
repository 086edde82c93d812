package io.beacon.devstack;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What an integration test gets from {@link BeaconStackExtension}: addresses of the shared Kafka broker
 * and ClickHouse server plus helpers to isolate a test class from the others in the same JVM by using
 * its own topics and databases ({@link #uniqueName(String)}).
 *
 * <p>The servers are shared by every test in the JVM. A test that stops the broker or ClickHouse (to
 * simulate an outage) must bring it back in a {@code finally} block — {@code stack.kafka().restart()} or
 * {@code stack.clickhouse().restart()} — or later tests will fail.
 */
public final class TestStack {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * System property choosing the ClickHouse that {@link #clickhouseHttpUrl()} points at: {@code server}
     * (default: the dev stack's {@code clickhouse-server}, Debian's 18.16) or {@code chdb} (ClickHouse 26.x
     * through {@link ChdbServer}). The warehouse and analytics modules run their integration tests once with
     * each (their poms), so every statement they generate runs on both versions with the same assertions.
     */
    public static final String ENGINE_PROPERTY = "beacon.test.clickhouse-engine";

    private final BeaconStack stack;
    private final ChdbServer chdb;

    TestStack(BeaconStack stack, ChdbServer chdb) {
        this.stack = stack;
        this.chdb = chdb;
    }

    /** Whether {@link #ENGINE_PROPERTY} asks for chdb. */
    static boolean chdbRequested() {
        String engine = System.getProperty(ENGINE_PROPERTY, "server").strip();
        if (!engine.equals("server") && !engine.equals("chdb")) {
            throw new IllegalArgumentException(ENGINE_PROPERTY + " must be 'server' or 'chdb', not '" + engine + "'");
        }
        return engine.equals("chdb");
    }

    /** {@code bootstrap.servers} for Kafka clients. */
    public String bootstrapServers() {
        return stack.kafka().bootstrapServers();
    }

    /**
     * HTTP base URL of the ClickHouse the tests' statements go to, e.g. {@code http://127.0.0.1:41234}: the
     * dev stack's server, or chdb when {@link #ENGINE_PROPERTY} is {@code chdb}.
     */
    public String clickhouseHttpUrl() {
        return chdb != null ? chdb.httpUrl() : stack.clickhouse().httpUrl();
    }

    /** Which ClickHouse {@link #clickhouseHttpUrl()} is, for messages: e.g. {@code ClickHouse 26.7.2.1 (chdb)}. */
    public String clickhouseEngine() {
        return chdb != null
                ? "ClickHouse " + chdb.version() + " (chdb)"
                : "ClickHouse " + stack.clickhouse().query("SELECT version()").strip() + " (clickhouse-server)";
    }

    /**
     * {@code base} reduced to {@code [a-z0-9_]} plus {@code _} and a random 8-character suffix: a name that
     * is valid as a Kafka topic and as an unquoted ClickHouse database or table name, and unique per call.
     */
    public String uniqueName(String base) {
        String cleaned = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "t_" + cleaned;
        }
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return cleaned + "_" + HexFormat.of().formatHex(suffix);
    }

    /** Creates topics (name to partition count) if they do not exist yet. */
    public void createTopics(Map<String, Integer> nameToPartitions) {
        stack.kafka().createTopics(nameToPartitions);
    }

    /** Creates topics with the same partition count if they do not exist yet. */
    public void createTopics(int partitions, String... names) {
        createTopics(Arrays.stream(names).collect(Collectors.toMap(Function.identity(), name -> partitions, (a, b) -> a)));
    }

    /** {@code CREATE DATABASE IF NOT EXISTS name}; returns {@code name} for chaining. */
    public String createDatabase(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain ClickHouse identifier: " + name);
        }
        String sql = "CREATE DATABASE IF NOT EXISTS " + name;
        if (chdb != null) {
            chdb.query(sql);
        } else {
            stack.clickhouse().query(sql);
        }
        return name;
    }

    /** The shared broker; see the class comment before stopping it. */
    public KafkaBroker kafka() {
        return stack.kafka();
    }

    /**
     * The shared {@code clickhouse-server} (18.16); see the class comment before stopping it. Tests that
     * must follow {@link #ENGINE_PROPERTY} use {@link #clickhouseHttpUrl()} instead.
     */
    public ClickHouseServer clickhouse() {
        return stack.clickhouse();
    }
}
