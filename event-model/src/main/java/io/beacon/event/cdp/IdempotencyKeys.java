package io.beacon.event.cdp;

import io.beacon.event.SegmentChange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Idempotency keys ({@link OutboxMessage#messageId()}, the webhook's {@code webhook-id}) derived from the cause
 * and the destination alone, so replaying a trigger (the segment-changes topic, an event, a DLQ replay) yields the
 * same key: {@code msg_} + the first 26 characters of the base32 SHA-256 of the cause.
 */
public final class IdempotencyKeys {
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private IdempotencyKeys() {
    }

    /** The key of a segment entry/exit sent to {@code destinationId}. */
    public static String ofSegmentChange(String destinationId, SegmentChange c) {
        return of("segment", destinationId, c.projectId(), c.personId(), c.segmentId(),
                Long.toString(c.segmentVersion()), c.kind().wireName(), Long.toString(c.atMs()));
    }

    /** The key of an event forwarded to {@code destinationId}: the event id is unique per project. */
    public static String ofEvent(String destinationId, String projectId, String eventId) {
        return of("event", destinationId, projectId, eventId);
    }

    /** The key of any other cause: its parts in order (kind first), joined unambiguously. */
    public static String of(String kind, String destinationId, String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        update(sha, kind);
        update(sha, destinationId);
        for (String p : parts) {
            update(sha, p == null ? "" : p);
        }
        return "msg_" + base32(sha.digest()).substring(0, 26);
    }

    // length-prefixed, so ("ab","c") and ("a","bc") differ
    private static void update(MessageDigest sha, String part) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        sha.update((byte) (b.length >>> 24));
        sha.update((byte) (b.length >>> 16));
        sha.update((byte) (b.length >>> 8));
        sha.update((byte) b.length);
        sha.update(b);
    }

    private static String base32(byte[] bytes) {
        StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte value : bytes) {
            buffer = (buffer << 8) | (value & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }
}
