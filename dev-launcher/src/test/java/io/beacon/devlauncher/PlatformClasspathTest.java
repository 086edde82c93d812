package io.beacon.devlauncher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The platform's production classpath — what {@code ./beacon run} starts: {@code platform/target/classes}
 * plus the jars in {@code platform/target/classpath.txt} (runtime scope, written in the platform's package
 * phase) — carries no JUnit, no Kafka broker and no dev stack. Those come only with this launcher.
 */
class PlatformClasspathTest {
    /** Artifacts that must not be deployed, by jar name (a reactor build lists a module's jar or classes dir). */
    private static final Map<String, String> FORBIDDEN_JARS = Map.of(
            "junit-", "JUnit",
            "opentest4j-", "JUnit (opentest4j)",
            "kafka_2.13-", "the Kafka broker (kafka_2.13)",
            "kafka-server-", "the Kafka broker (kafka-server, kafka-server-common)",
            "kafka-raft-", "the Kafka broker (KRaft)",
            "kafka-metadata-", "the Kafka broker (metadata, controller)",
            "beacon-dev-stack-", "the dev stack");

    /** The same, by class: catches a jar that was renamed or shaded into another. */
    private static final Map<String, String> FORBIDDEN_CLASSES = Map.of(
            "org/junit/", "JUnit",
            "org/opentest4j/", "JUnit (opentest4j)",
            "kafka/", "the Kafka broker (kafka_2.13)",
            "org/apache/kafka/raft/", "the Kafka broker (KRaft)",
            "org/apache/kafka/controller/", "the Kafka broker (controller)",
            "io/beacon/devstack/", "the dev stack");

    @Test
    void shouldDeployThePlatformWithoutJUnitTheKafkaBrokerOrTheDevStackJars() {
        Map<String, String> found = new TreeMap<>();
        for (Path entry : productionClasspath()) {
            String name = entry.getFileName().toString();
            FORBIDDEN_JARS.forEach((prefix, what) -> {
                if (name.startsWith(prefix)) {
                    found.put(name, what);
                }
            });
            if (entry.endsWith(Path.of("dev-stack", "target", "classes"))) {
                found.put(entry.toString(), "the dev stack");
            }
        }
        assertEquals(Map.of(), found, "platform/target/classpath.txt (./beacon run) must not carry these; "
                + "test code and the dev stack belong in test scope or in dev-launcher");
    }

    @Test
    void shouldDeployThePlatformWithoutJUnitOrKafkaBrokerClasses() {
        Map<String, String> found = new TreeMap<>();
        for (Path entry : productionClasspath()) {
            forbiddenClass(entry).ifPresent(cls -> found.put(entry.getFileName() + ": " + cls,
                    FORBIDDEN_CLASSES.get(FORBIDDEN_CLASSES.keySet().stream().filter(cls::startsWith).findFirst().orElseThrow())));
        }
        assertEquals(Map.of(), found, "classes on the platform's production classpath (./beacon run)");
    }

    @Test
    void shouldReadThePlatformsRealClasspath() {
        // Given the classpath file ./beacon run uses, Then it holds the platform's Kafka clients and modules,
        // so the checks above looked at the real thing.
        List<String> names = productionClasspath().stream().map(p -> p.getFileName().toString()).toList();
        for (String expected : List.of("kafka-clients-", "kafka-streams-", "pekko-http_2.13-")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(expected)), expected + "* in " + names);
        }
        assertTrue(productionClasspath().stream().anyMatch(p -> p.toString().contains("beacon-warehouse")
                || p.endsWith(Path.of("warehouse", "target", "classes"))), "the warehouse module in " + names);
    }

    /** {@code platform/target/classes} and every entry of {@code platform/target/classpath.txt}. */
    private static List<Path> productionClasspath() {
        Path target = Path.of(System.getProperty("beacon.platform.target", "../platform/target"));
        Path file = target.resolve("classpath.txt");
        assertTrue(Files.isRegularFile(file), file + " is missing: package the platform first (mvn package, ./beacon test)");
        try {
            String text = Files.readString(file).trim();
            return Stream.concat(Stream.of(target.resolve("classes")),
                    Arrays.stream(text.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first class of a jar or classes directory under a forbidden package, if any. */
    private static Optional<String> forbiddenClass(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    return files.map(f -> entry.relativize(f).toString().replace('\\', '/'))
                            .filter(PlatformClasspathTest::isForbiddenClass).findFirst();
                }
            }
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                return jar.stream().map(ZipEntry::getName).filter(PlatformClasspathTest::isForbiddenClass).findFirst();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry, e);
        }
    }

    private static boolean isForbiddenClass(String name) {
        return name.endsWith(".class") && FORBIDDEN_CLASSES.keySet().stream().anyMatch(name::startsWith);
    }
}
