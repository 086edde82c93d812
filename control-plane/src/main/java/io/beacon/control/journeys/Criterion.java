package io.beacon.control.journeys;

import io.beacon.control.audience.EventMatch;
import io.beacon.control.audience.Rule;
import java.util.Objects;

/**
 * What a {@code wait_until} step waits for and what an exit criterion exits on: an event (name plus property
 * filters, {@link EventFilters}) or an audience {@link Rule} over the user's state starting to hold.
 * JSON {@code {"event":{"event":"purchase","filters":[…]}}} or {@code {"condition":rule}}.
 */
public sealed interface Criterion {

    /** An event matching {@code match} arrives. */
    record EventOccurs(EventMatch match) implements Criterion {
        public EventOccurs {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(match.event(), "match.event");
        }
    }

    /** The realtime rule {@code rule} holds for the user. */
    record RuleHolds(Rule rule) implements Criterion {
        public RuleHolds {
            Objects.requireNonNull(rule, "rule");
        }
    }
}
