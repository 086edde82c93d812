package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.RejectionCode;
import io.beacon.httpkit.Credentials;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Finds the write key of a request, in this order: the HTTP Basic user name (password empty; how
 * Segment's SDKs send it), the {@code X-Beacon-Write-Key} header, the body's {@code writeKey}
 * field. Never logs the key.
 */
public final class WriteKeyExtractor {
    public static final String HEADER = Credentials.WRITE_KEY_HEADER;
    public static final String BODY_FIELD = "writeKey";

    private WriteKeyExtractor() {
    }

    /**
     * The key sent in headers, if any.
     *
     * @throws RequestRefusedException INVALID_WRITE_KEY for Basic credentials that cannot be decoded
     */
    public static Optional<String> fromHeaders(HttpRequest request) {
        try {
            return Credentials.writeKey(request);
        } catch (IllegalArgumentException e) {
            throw RequestRefusedException.of(RejectionCode.INVALID_WRITE_KEY, e.getMessage());
        }
    }

    /** The body's {@code writeKey}, if it is a non-blank string. */
    public static Optional<String> fromBody(JsonNode body) {
        JsonNode key = body.isObject() ? body.get(BODY_FIELD) : null;
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(key.asText().trim());
    }
}
