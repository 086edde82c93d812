package io.beacon.control.journeys;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a journey is in its lifecycle: {@code draft → live ⇄ paused}, and from any of those to {@code archived},
 * which nothing leaves. Paused journeys take no new entries; their in-flight runs follow the journey's
 * {@link PauseBehaviour}.
 */
public enum JourneyStatus {
    /** Being edited; takes no entries. */
    DRAFT,
    /** Takes new entries and advances runs. */
    LIVE,
    /** Takes no new entries. */
    PAUSED,
    /** Finished for good; kept for its counts. */
    ARCHIVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status spelled {@code text} in JSON; empty for anything else. */
    public static Optional<JourneyStatus> fromWire(String text) {
        for (JourneyStatus s : values()) {
            if (s.wireName().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a journey in this status may change to {@code next}: draft→live, live→paused, paused→live and
     * draft|live|paused→archived. Staying in the same status is not a move and answers {@code false}.
     */
    public boolean canMoveTo(JourneyStatus next) {
        return switch (this) {
            case DRAFT -> next == LIVE || next == ARCHIVED;
            case LIVE -> next == PAUSED || next == ARCHIVED;
            case PAUSED -> next == LIVE || next == ARCHIVED;
            case ARCHIVED -> false;
        };
    }
}
