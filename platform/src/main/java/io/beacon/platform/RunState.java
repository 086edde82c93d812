package io.beacon.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running {@code ./beacon up} (the dev launcher) writes to {@code .beacon/run/stack.json} so that
 * {@code down}, {@code status}, {@code sql} and {@code dlq} can find it.
 *
 * @param pid              the {@code up} process
 * @param httpUrl          Beacon's HTTP server
 * @param kafkaBootstrap   the dev Kafka broker
 * @param clickhouseUrl    the dev ClickHouse HTTP endpoint
 * @param clickhouseDatabase the Beacon database
 * @param clickhousePid    the ClickHouse child process
 * @param projectId        the dev project
 * @param startedAt        epoch ms
 */
public record RunState(long pid, String httpUrl, String kafkaBootstrap, String clickhouseUrl,
                       String clickhouseDatabase, long clickhousePid, String projectId, long startedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The dev stack's directory, relative to {@code beacon.home}. */
    public static final String DEV_STACK_DIR = "beacon.dev-stack.dir";

    /** The dev stack's directory: {@code beacon.dev-stack.dir} under the system property {@code beacon.home} (default {@code .}). */
    public static Path devDir(Config config) {
        Path home = Paths.get(System.getProperty("beacon.home", ".")).toAbsolutePath().normalize();
        return home.resolve(config.getString(DEV_STACK_DIR));
    }

    public static Path file(Path devDir) {
        return devDir.resolve("run").resolve("stack.json");
    }

    public void write(Path devDir) {
        Path f = file(devDir);
        try {
            Files.createDirectories(f.getParent());
            Path tmp = f.resolveSibling("stack.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }

    /** The state of a stack whose process is still alive; empty when none runs (stale files are ignored). */
    public static Optional<RunState> readLive(Path devDir) {
        Path f = file(devDir);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            RunState s = JSON.readValue(f.toFile(), RunState.class);
            return ProcessHandle.of(s.pid()).filter(ProcessHandle::isAlive).map(h -> s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void delete(Path devDir) {
        try {
            Files.deleteIfExists(file(devDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
