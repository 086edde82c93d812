package io.beacon.control.journeys;

import java.util.Locale;
import java.util.Optional;

/** What in-flight runs do while their journey is paused: wait where they are, or carry on to the end. */
public enum PauseBehaviour {
    /** Runs stay at their step until the journey is live again. */
    HOLD,
    /** Runs keep advancing; only new entries stop. */
    CONTINUE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The behaviour spelled {@code text} in JSON; empty for anything else. */
    public static Optional<PauseBehaviour> fromWire(String text) {
        for (PauseBehaviour b : values()) {
            if (b.wireName().equals(text)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
