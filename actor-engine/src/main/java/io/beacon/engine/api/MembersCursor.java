package io.beacon.engine.api;

import io.beacon.httpkit.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of {@code GET /api/v1/segments/{id}/members}: the partition the next page starts
 * in and the last user key returned from it. Members are listed partition by partition, each in key order.
 */
record MembersCursor(int partition, String afterKey) {
    private static final String VERSION = "m1";

    static final MembersCursor START = new MembersCursor(0, "");

    String encode() {
        String raw = VERSION + "|" + partition + "|" + afterKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiException 400 {@code INVALID_CURSOR} when the text is not a cursor of this API */
    static MembersCursor decode(String text, int partitions) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", 3);
            if (parts.length != 3 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("unknown cursor version");
            }
            int p = Integer.parseInt(parts[1]);
            if (p < 0 || p >= partitions) {
                throw new IllegalArgumentException("partition out of range");
            }
            return new MembersCursor(p, parts[2]);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CURSOR", "cursor is not a cursor returned by this API", "cursor");
        }
    }
}
