package io.beacon.control.journeys;

import java.time.LocalTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Local times of day, in the user's time zone, when {@code send} steps do not send. The window starts at
 * {@code start} (inclusive) and ends at {@code end} (exclusive); it wraps midnight when {@code end} is before
 * {@code start} ({@code 22:00}–{@code 08:00}). JSON {@code {"start":"22:00","end":"08:00","action":"delay"}}.
 *
 * @param start  first quiet minute
 * @param end    first minute after the quiet hours; differs from {@code start}
 * @param action what a send inside the window does
 */
public record QuietHours(LocalTime start, LocalTime end, Action action) {

    /** What a send step does inside quiet hours. */
    public enum Action {
        /** Wait until {@code end}, then send. */
        DELAY,
        /** Do not send; the run moves on to the step's next. */
        SKIP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The action spelled {@code text} in JSON; empty for anything else. */
        public static Optional<Action> fromWire(String text) {
            for (Action a : values()) {
                if (a.wireName().equals(text)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(action, "action");
    }

    /** Whether the local time {@code t} is inside the quiet hours. */
    public boolean contains(LocalTime t) {
        if (start.isBefore(end)) {
            return !t.isBefore(start) && t.isBefore(end);
        }
        return !t.isBefore(start) || t.isBefore(end);
    }
}
