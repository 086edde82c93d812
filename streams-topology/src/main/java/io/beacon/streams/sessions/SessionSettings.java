package io.beacon.streams.sessions;

import java.time.Duration;
import java.util.Objects;

/**
 * Session boundaries ({@code beacon.streams.sessions} in {@code reference.conf}). The topology asks for
 * them per project ({@code Function<String, SessionSettings>}); today every project gets the configured
 * defaults, a project-level override can be plugged in there later (from the project's settings in the
 * control plane) without changing the algorithm.
 *
 * @param gap            inactivity that ends a session: an event at least this long after the previous one starts a new one (default 30 min)
 * @param maxLength      longest session: an event that would make it longer starts a new one (default 24 h)
 * @param grace          how late (behind the device's latest event time) an event may be and still be attributed
 *                       exactly as if it had arrived in order, merging sessions it bridges (default 5 min)
 * @param stateRetention how long a device's session state is kept after its last event arrived (default 2 days;
 *                       at least maxLength + gap)
 */
public record SessionSettings(Duration gap, Duration maxLength, Duration grace, Duration stateRetention) {
    public SessionSettings {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(maxLength, "maxLength");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(stateRetention, "stateRetention");
        if (gap.isNegative() || gap.isZero() || maxLength.compareTo(gap) < 0 || grace.isNegative()) {
            throw new IllegalArgumentException("sessions need gap > 0, max-length >= gap, grace >= 0: " + this);
        }
        if (stateRetention.compareTo(maxLength.plus(gap)) < 0) {
            throw new IllegalArgumentException("sessions.state-retention must be at least max-length + gap: " + stateRetention);
        }
    }

    /** The defaults of {@code reference.conf}. */
    public static SessionSettings defaults() {
        return new SessionSettings(Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofDays(2));
    }
}
