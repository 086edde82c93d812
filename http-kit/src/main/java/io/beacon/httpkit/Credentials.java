package io.beacon.httpkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Reading credentials from requests: bearer tokens ({@code Authorization: Bearer <secret key | admin token>})
 * and write keys (the HTTP Basic user name, as Segment's SDKs send it, or {@value #WRITE_KEY_HEADER}). Never
 * logs a key.
 */
public final class Credentials {
    /** The header a write key may come in. */
    public static final String WRITE_KEY_HEADER = "X-Beacon-Write-Key";

    private Credentials() {
    }

    /** The token of an {@code Authorization: Bearer <token>} header value (scheme case-insensitive). */
    public static Optional<String> bearer(Optional<String> authorization) {
        return authorization.map(String::trim)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }

    /**
     * The write key in a request's headers: the Basic user name (password empty), else {@value #WRITE_KEY_HEADER}.
     *
     * @throws IllegalArgumentException for Basic credentials that cannot be decoded
     */
    public static Optional<String> writeKey(HttpRequest request) {
        Optional<String> authorization = request.getHeader("Authorization").map(HttpHeader::value).map(String::trim);
        if (authorization.isPresent() && authorization.get().toLowerCase(Locale.ROOT).startsWith("basic ")) {
            String user = basicUser(authorization.get().substring("basic ".length()).trim());
            if (!user.isBlank()) {
                return Optional.of(user.trim());
            }
        }
        return request.getHeader(WRITE_KEY_HEADER).map(HttpHeader::value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** {@code sk:} + the first 16 hex digits of the key's SHA-256, to name a key in logs ({@code ""} without one). */
    public static String keyId(Optional<String> bearerToken) {
        return bearerToken.map(t -> {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(t.getBytes(StandardCharsets.UTF_8));
                return "sk:" + HexFormat.of().formatHex(d).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }).orElse("");
    }

    private static String basicUser(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Authorization header is not valid Basic credentials");
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
    }
}
