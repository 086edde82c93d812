package io.beacon.httpkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Optimistic-concurrency versions of the admin APIs: the expected version of a document comes as
 * {@code "version"} in the body and/or an {@code If-Match} header ({@code 3}, {@code "3"} or {@code W/"3"});
 * both must agree. Errors are 400 {@code INVALID_VERSION} / {@code MISSING_VERSION} on the field {@code version}.
 */
public final class Versions {
    private Versions() {
    }

    /** The expected version from the body's {@code version} or {@code If-Match}; both must agree. */
    public static Optional<Long> expected(ObjectNode body, Optional<String> ifMatch) {
        Optional<Long> fromHeader = ifMatch.map(Versions::parse);
        Optional<Long> fromBody = Optional.empty();
        JsonNode v = body.get("version");
        if (v != null && !v.isNull()) {
            if (!v.canConvertToExactIntegral() || v.asLong() < 0) {
                throw invalid();
            }
            fromBody = Optional.of(v.asLong());
        }
        if (fromHeader.isPresent() && fromBody.isPresent() && !fromHeader.get().equals(fromBody.get())) {
            throw ApiException.badRequest("INVALID_VERSION", "If-Match and body version differ", "version");
        }
        return fromBody.or(() -> fromHeader);
    }

    /** {@link #expected}, refusing a request that names no version. */
    public static long required(ObjectNode body, Optional<String> ifMatch) {
        return expected(body, ifMatch).orElseThrow(Versions::missing);
    }

    /** {@code 3}, {@code "3"} or {@code W/"3"}. */
    public static long parse(String raw) {
        String s = raw.trim();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid();
    }

    /** 400 {@code MISSING_VERSION}. */
    public static ApiException missing() {
        return ApiException.badRequest("MISSING_VERSION",
                "send the expected version as 'version' in the body or an If-Match header", "version");
    }

    private static ApiException invalid() {
        return ApiException.badRequest("INVALID_VERSION", "version must be a non-negative integer", "version");
    }
}
