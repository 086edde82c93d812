package io.beacon.dq.count;

/** What one record counts towards: project, stage, code, event name and the minute of its {@code received_at}. */
public record CountKey(String projectId, String stage, String code, String eventName, long minuteMs) {
    public static final long MINUTE_MS = 60_000L;

    public static long minuteOf(long epochMs) {
        return Math.floorDiv(epochMs, MINUTE_MS) * MINUTE_MS;
    }
}
