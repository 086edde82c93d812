package io.beacon.httpkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The operator's admin token, compared in constant time; without one configured nothing is admin. */
public final class AdminToken {
    private final Optional<byte[]> token;

    private AdminToken(Optional<byte[]> token) {
        this.token = token;
    }

    public static AdminToken of(Optional<String> configured) {
        return new AdminToken(configured.map(t -> t.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code bearerToken} is the admin token. */
    public boolean accepts(Optional<String> bearerToken) {
        return bearerToken.isPresent() && token.isPresent()
                && MessageDigest.isEqual(token.get(), bearerToken.get().getBytes(StandardCharsets.UTF_8));
    }
}
