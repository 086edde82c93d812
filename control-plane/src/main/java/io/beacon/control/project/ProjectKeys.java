package io.beacon.control.project;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Generates credentials: {@code wk_} + 32 hex chars (write key), {@code sk_} + 48 hex chars (secret
 * key), 64 hex chars (PII secret, 256 bits), from a {@link SecureRandom}.
 */
public final class ProjectKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ProjectKeys() {
    }

    public static String newWriteKey() {
        return "wk_" + random(16);
    }

    public static String newSecretKey() {
        return "sk_" + random(24);
    }

    public static String newPiiSecret() {
        return random(32);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
