package io.beacon.control.journeys;

import io.beacon.control.audience.EventMatch;
import java.time.Duration;
import java.util.Objects;

/**
 * When a run counts as converted: an event matching {@code event} within {@code window} of entering the journey.
 * JSON {@code {"event":{"event":"purchase","filters":[…]},"window":"P7D"}}.
 */
public record Goal(EventMatch event, Duration window) {
    public Goal {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(event.event(), "event.event");
        Objects.requireNonNull(window, "window");
    }
}
