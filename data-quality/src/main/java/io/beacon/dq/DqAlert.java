package io.beacon.dq;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A data-quality alert: written as a {@code $dq_alert} event of the project (so it is stored in {@code events}, shown
 * in the console and sent to every destination subscribed to that event). Its event id is derived from what it is
 * about, so the same alert raised twice (a re-check, a restart) is one event: the topology's dedup drops the repeat.
 *
 * @param kind      {@code loss}, {@code accuracy}, {@code volume}
 * @param subject   what it is about ({@code *} for the project, or an event name)
 * @param windowMs  the start of the window (hour) it judges
 * @param severity  {@code warning} or {@code critical}
 * @param value     the measured figure (a rate, a relative difference, a robust z score)
 * @param threshold the threshold it crossed
 * @param details   further figures, as text
 */
public record DqAlert(String projectId, String kind, String subject, long windowMs, String severity, double value,
                      double threshold, String message, Map<String, String> details) {
    public static final String EVENT_NAME = "$dq_alert";

    public DqAlert {
        details = Map.copyOf(details);
    }

    /** The event id: {@code dq-<first 32 hex of sha-256(project, kind, subject, window)>}. */
    public String eventId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {projectId, kind, subject, Long.toString(windowMs)}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return "dq-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
