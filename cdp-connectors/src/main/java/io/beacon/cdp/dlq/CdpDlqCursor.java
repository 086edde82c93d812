package io.beacon.cdp.dlq;

import io.beacon.event.RefusedException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a listing starts: the DLQ position of the first letter not shown. Partitions are read
 * in order, so every partition below {@link #partition()} is done. Opaque to clients (Base64url of
 * {@code v1:partition:offset}) so its form can change.
 */
public record CdpDlqCursor(int partition, long offset) {

    private static final String VERSION = "v1";

    public CdpDlqCursor {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must be non-negative: " + partition + "/" + offset);
        }
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + ":" + partition + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws RefusedException (invalid, field {@code cursor}) when {@code text} is not a cursor of this class */
    public static CdpDlqCursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8).split(":");
            if (parts.length == 3 && parts[0].equals(VERSION)) {
                return new CdpDlqCursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // reported below (NumberFormatException is one)
        }
        throw new RefusedException(RefusedException.Kind.INVALID, "INVALID_CURSOR",
                "cursor is not a next_cursor of an earlier listing", "cursor");
    }
}
