package io.beacon.control.journeys;

import io.beacon.control.audience.EventMatch;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What enters a user into a journey. JSON {@code {"type":"segment_entered","segment_id":"new_users"}},
 * {@code {"type":"segment_exited","segment_id":…}}, {@code {"type":"event","event":"signup","filters":[…]}} or
 * {@code {"type":"score_crossed","score":"churn_risk","op":"above","threshold":0.7}}.
 */
public sealed interface Trigger {
    /** The scores the engine keeps (the champion models' values). */
    Set<String> SCORES = Set.of("churn_risk", "ltv_predicted");

    /** The JSON {@code type}. */
    String type();

    /** The user entered the segment. */
    record SegmentEntered(String segmentId) implements Trigger {
        public SegmentEntered {
            Objects.requireNonNull(segmentId, "segmentId");
        }

        @Override
        public String type() {
            return "segment_entered";
        }
    }

    /** The user left the segment. */
    record SegmentExited(String segmentId) implements Trigger {
        public SegmentExited {
            Objects.requireNonNull(segmentId, "segmentId");
        }

        @Override
        public String type() {
            return "segment_exited";
        }
    }

    /** An event matching {@code match} arrived ({@link EventFilters}). */
    record Event(EventMatch match) implements Trigger {
        public Event {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(match.event(), "match.event");
        }

        @Override
        public String type() {
            return "event";
        }
    }

    /** The user's score went from not {@code op threshold} to {@code op threshold}. */
    record ScoreCrossed(String score, Crossing op, double threshold) implements Trigger {
        public ScoreCrossed {
            Objects.requireNonNull(score, "score");
            Objects.requireNonNull(op, "op");
        }

        @Override
        public String type() {
            return "score_crossed";
        }
    }

    /** The direction of a crossing: strictly above or strictly below the threshold. */
    enum Crossing {
        ABOVE, BELOW;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The direction spelled {@code text} in JSON; empty for anything else. */
        public static Optional<Crossing> fromWire(String text) {
            for (Crossing c : values()) {
                if (c.wireName().equals(text)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        /** Whether {@code value} is on this side of {@code threshold}. */
        public boolean test(double value, double threshold) {
            return this == ABOVE ? value > threshold : value < threshold;
        }
    }
}
