package io.beacon.analytics.api.internal;

import io.beacon.control.api.http.ApiException;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Who calls: the project of a {@code Bearer <secret key>} header, and a key id for logs (never the key). */
public final class Callers {
    private Callers() {
    }

    public static Project project(ProjectDirectory projects, Optional<String> auth) {
        Optional<String> token = token(auth);
        if (token.isEmpty()) {
            throw new ApiException(401, "UNAUTHORIZED", "missing 'Authorization: Bearer <secret key>'", null);
        }
        return projects.bySecretKey(token.get())
                .orElseThrow(() -> new ApiException(401, "UNAUTHORIZED", "the secret key is not valid", null));
    }

    /** {@code sk:} + the first 16 hex digits of the key's SHA-256 ({@code ""} without a key). */
    public static String keyId(Optional<String> auth) {
        return token(auth).map(t -> {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(t.getBytes(StandardCharsets.UTF_8));
                return "sk:" + HexFormat.of().formatHex(d).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }).orElse("");
    }

    private static Optional<String> token(Optional<String> auth) {
        return auth.map(String::trim)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }
}
