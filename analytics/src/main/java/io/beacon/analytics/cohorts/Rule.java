package io.beacon.analytics.cohorts;

import io.beacon.analytics.query.EventSelector;
import io.beacon.analytics.query.Filter;
import java.util.List;

/** A cohort's rule tree (validated; wire format in {@link CohortRules}). */
public sealed interface Rule {

    /** Every sub-rule holds. */
    record And(List<Rule> rules) implements Rule {
        public And {
            rules = List.copyOf(rules);
        }
    }

    /** Some sub-rule holds. */
    record Or(List<Rule> rules) implements Rule {
        public Or {
            rules = List.copyOf(rules);
        }
    }

    /** The sub-rule does not hold (within the universe: persons with at least one event). */
    record Not(Rule rule) implements Rule {
    }

    /** Did {@code events} {@code op} {@code count} times in the last {@code days} days. */
    record Performed(EventSelector events, CountOp op, int count, int days) implements Rule {
    }

    /** Did not do {@code events} in the last {@code days} days. */
    record NotPerformed(EventSelector events, int days) implements Rule {
    }

    /** Did {@code first} and then {@code then} strictly later, at most {@code withinMillis} after it, both in the last {@code days} days. */
    record Sequence(EventSelector first, EventSelector then, long withinMillis, int days) implements Rule {
    }

    /** The person's current property matches ({@code person.<key>} filter). */
    record PersonProperty(Filter filter) implements Rule {
    }

    /** Count comparisons. */
    enum CountOp { GTE, LTE, EQ }
}
