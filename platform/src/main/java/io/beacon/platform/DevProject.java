package io.beacon.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The development project {@code ./beacon up} serves: its id and keys, generated once and kept in
 * {@code .beacon/dev-project.json} so they survive restarts (SDKs configured with them keep working).
 *
 * @param id        project id
 * @param name      display name
 * @param writeKey  ingest-only key
 * @param secretKey API key
 */
public record DevProject(String id, String name, String writeKey, String secretKey) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Loads the project from {@code file}, or creates it with fresh random keys. */
    public static DevProject loadOrCreate(Path file, String id, String name) {
        try {
            if (Files.exists(file)) {
                return JSON.readValue(file.toFile(), DevProject.class);
            }
            DevProject p = new DevProject(id, name, "wk_" + randomHex(16), "sk_" + randomHex(24));
            p.save(file);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Writes this project to {@code file} atomically. */
    public void save(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
