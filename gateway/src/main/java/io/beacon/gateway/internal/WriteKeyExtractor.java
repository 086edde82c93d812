package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Finds the write key of a request, in this order: the HTTP Basic user name (password empty; how
 * Segment's SDKs send it), the {@code X-Beacon-Write-Key} header, the body's {@code writeKey}
 * field. Never logs the key.
 */
public final class WriteKeyExtractor {
    public static final String HEADER = "X-Beacon-Write-Key";
    public static final String BODY_FIELD = "writeKey";

    private WriteKeyExtractor() {
    }

    /**
     * The key sent in headers, if any.
     *
     * @throws RequestRefusedException INVALID_WRITE_KEY for Basic credentials that cannot be decoded
     */
    public static Optional<String> fromHeaders(HttpRequest request) {
        Optional<String> authorization = request.getHeader("Authorization").map(HttpHeader::value).map(String::trim);
        if (authorization.isPresent() && authorization.get().toLowerCase(Locale.ROOT).startsWith("basic ")) {
            String user = basicUser(authorization.get().substring("basic ".length()).trim());
            if (!user.isBlank()) {
                return Optional.of(user.trim());
            }
        }
        return request.getHeader(HEADER).map(HttpHeader::value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The body's {@code writeKey}, if it is a non-blank string. */
    public static Optional<String> fromBody(JsonNode body) {
        JsonNode key = body.isObject() ? body.get(BODY_FIELD) : null;
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(key.asText().trim());
    }

    private static String basicUser(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RequestRefusedException.of(RejectionCode.INVALID_WRITE_KEY, "the Authorization header is not valid Basic credentials");
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
    }
}
