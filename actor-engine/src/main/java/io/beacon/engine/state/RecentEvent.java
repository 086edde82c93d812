package io.beacon.engine.state;

/** One of a user's latest events as the profile shows it. {@code sessionId} may be {@code null}. */
public record RecentEvent(String eventId, String name, long timestampMs, String sessionId) {
}
