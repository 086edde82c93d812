package io.beacon.control.segments;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A segment rule: a tree over one user's state. Parsed and written by {@link SegmentJson} (the JSON
 * shape is in docs/segments.md); evaluated by the actor engine.
 */
public sealed interface Rule {

    /** All children hold (an empty list never parses). */
    record And(List<Rule> rules) implements Rule {
        public And {
            rules = List.copyOf(rules);
        }
    }

    /** At least one child holds. */
    record Or(List<Rule> rules) implements Rule {
        public Or {
            rules = List.copyOf(rules);
        }
    }

    /** The child does not hold. */
    record Not(Rule rule) implements Rule {
        public Not {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** The number of events named {@code event} in {@code window} compares to {@code value}. */
    record EventCount(String event, Window window, Cmp op, long value) implements Rule {
        public EventCount {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(op, "op");
        }
    }

    /** "Active in the last N": the last event is less than {@code duration} old ({@code now − lastSeen < duration}). */
    record LastSeenWithin(Duration duration) implements Rule {
        public LastSeenWithin {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** "Not seen for N": the last event is at least {@code duration} old ({@code now − lastSeen ≥ duration}). */
    record NotSeenFor(Duration duration) implements Rule {
        public NotSeenFor {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** A person trait compared with {@code value} ({@code null} for {@code is_set}/{@code is_not_set}). */
    record TraitCondition(String trait, TraitOp op, JsonNode value) implements Rule {
        public TraitCondition {
            Objects.requireNonNull(trait, "trait");
            Objects.requireNonNull(op, "op");
        }
    }

    /** The latest value of score {@code score} compares to {@code value}; a user without the score never matches. */
    record ScoreCondition(String score, Cmp op, double value) implements Rule {
        public ScoreCondition {
            Objects.requireNonNull(score, "score");
            Objects.requireNonNull(op, "op");
        }
    }

    /** The revenue summed over {@code window} compares to {@code value}. */
    record RevenueCondition(Window window, Cmp op, double value) implements Rule {
        public RevenueCondition {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(op, "op");
        }
    }
}
