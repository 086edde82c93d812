package io.beacon.control.audience;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An audience rule: "which users", one tree for both evaluators (docs/audiences.md). Cohorts compile it to
 * ClickHouse over the whole history ({@code io.beacon.analytics.cohorts.CohortSql}); realtime segments evaluate it
 * live over one user's state in the actor engine ({@code io.beacon.engine.segments.SegmentEvaluator}). A node
 * means the same on both sides; what one side cannot express ({@link Evaluator}) its parser refuses with the JSON
 * path of the node, so no stored rule reaches an evaluator that would answer it differently.
 *
 * <p>Written and read by {@link RuleJson}; cohorts also read their older {@code {"type": …}} spelling into this tree.
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

    /**
     * The child does not hold. The universe is the users the evaluator knows: for cohorts, every resolved person
     * with at least one event; for segments, every user whose events the engine has applied.
     */
    record Not(Rule rule) implements Rule {
        public Not {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /** The number of events matching {@code events} in {@code span} compares to {@code value}. */
    record EventCount(EventMatch events, Span span, Cmp op, long value) implements Rule {
        public EventCount {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(span, "span");
            Objects.requireNonNull(op, "op");
        }

        /** Events named {@code event}, no filters, in a rolling window. */
        public EventCount(String event, Window window, Cmp op, long value) {
            this(EventMatch.named(event), new Span.Rolling(window), op, value);
        }

        /** The event name (realtime rules always have one). */
        public String event() {
            return events.event();
        }

        /** The rolling window (realtime rules always have one). */
        public Window window() {
            return span.rolling();
        }
    }

    /**
     * An event matching {@code first}, then one matching {@code then} strictly later and at most {@code within}
     * after it, both in {@code span}.
     */
    record Sequence(EventMatch first, EventMatch then, Duration within, Span span) implements Rule {
        public Sequence {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(then, "then");
            Objects.requireNonNull(within, "within");
            Objects.requireNonNull(span, "span");
        }
    }

    /** "Active in the last N": the latest event time is less than {@code duration} old ({@code now − lastSeen < duration}). */
    record LastSeenWithin(Duration duration) implements Rule {
        public LastSeenWithin {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** "Not seen for N": the latest event time is at least {@code duration} old ({@code now − lastSeen ≥ duration}). */
    record NotSeenFor(Duration duration) implements Rule {
        public NotSeenFor {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * The person's current trait (person property) {@code trait} compared with {@code value}: a string, number or
     * boolean; an array for {@code in}/{@code not_in} (values) and {@code between} (two numbers); {@code null} for
     * {@code is_set}/{@code is_not_set}.
     */
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
