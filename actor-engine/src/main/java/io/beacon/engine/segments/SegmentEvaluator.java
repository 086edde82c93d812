package io.beacon.engine.segments;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.TraitOp;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.WindowedCounter;
import io.beacon.event.NumericText;

/**
 * Evaluates an audience {@link Rule} (the realtime side; docs/audiences.md) against one user's state at an instant, and says when the answer
 * can next change with no new event (docs/segments.md, "Evaluation").
 *
 * <ul>
 *   <li>{@code event_count}: {@link UserState#count} in the window, compared with {@code op};</li>
 *   <li>{@code last_seen_within d}: {@code now − lastSeen < d}; {@code not_seen_for d}:
 *       {@code now − lastSeen ≥ d} (its exact complement; a user never seen is "not seen");</li>
 *   <li>{@code trait}: {@code is_set} = the trait exists and is not JSON null; {@code eq} compares numbers
 *       numerically when {@code value} is a number (a numeric string trait counts as that number), otherwise
 *       the trait's text with {@code value}'s text; {@code neq} is the negation of {@code eq} (so a missing
 *       trait is {@code neq} anything); {@code contains}: the trait's text contains {@code value} (an array
 *       trait: one element's text equals it); {@code gt}/{@code gte}/{@code lt}/{@code lte}: numerically for a
 *       number {@code value}, by text (e.g. ISO dates) for a string; {@code between} numerically, both ends
 *       included; {@code in}: {@code eq} one of the values; {@code not_contains}/{@code not_in} the negations;
 *       a missing trait fails every operator but the negative ones ({@code neq}, {@code not_contains},
 *       {@code not_in}, {@code is_not_set}); regular expressions are refused by the parser;</li>
 *   <li>{@code score}: the latest score value compared; no score → false;</li>
 *   <li>{@code revenue}: the windowed revenue sum compared.</li>
 * </ul>
 */
public final class SegmentEvaluator {
    private SegmentEvaluator() {
    }

    public static boolean matches(Rule rule, UserState s, long nowMs) {
        if (rule instanceof Rule.And and) {
            for (Rule r : and.rules()) {
                if (!matches(r, s, nowMs)) {
                    return false;
                }
            }
            return true;
        }
        if (rule instanceof Rule.Or or) {
            for (Rule r : or.rules()) {
                if (matches(r, s, nowMs)) {
                    return true;
                }
            }
            return false;
        }
        if (rule instanceof Rule.Not not) {
            return !matches(not.rule(), s, nowMs);
        }
        if (rule instanceof Rule.EventCount c) {
            return c.op().test(s.count(c.event(), c.window(), nowMs), c.value());
        }
        if (rule instanceof Rule.LastSeenWithin l) {
            return s.lastSeenMs() >= 0 && nowMs - s.lastSeenMs() < l.duration().toMillis();
        }
        if (rule instanceof Rule.NotSeenFor n) {
            return s.lastSeenMs() < 0 || nowMs - s.lastSeenMs() >= n.duration().toMillis();
        }
        if (rule instanceof Rule.TraitCondition t) {
            return trait(t, s.traits().get(t.trait()));
        }
        if (rule instanceof Rule.ScoreCondition sc) {
            var score = s.scores().get(sc.score());
            return score != null && sc.op().test(score.value(), sc.value());
        }
        if (rule instanceof Rule.RevenueCondition r) {
            return r.op().test(s.revenue(r.window(), nowMs), r.value());
        }
        throw new IllegalArgumentException("unknown rule " + rule.getClass().getName());
    }

    /**
     * The earliest instant after {@code nowMs} at which {@link #matches} could answer differently
     * without any new event — a window bucket of a counted event or of revenue expiring so that its
     * comparison flips, or {@code lastSeen + d} for recency — or {@link Long#MAX_VALUE}. Exact: at
     * that instant the leaf whose change it reports answers differently (a composite may still not
     * change; re-evaluating then simply yields the next instant).
     */
    public static long nextChangeAtMs(Rule rule, UserState s, long nowMs) {
        if (rule instanceof Rule.And and) {
            long min = Long.MAX_VALUE;
            for (Rule r : and.rules()) {
                min = Math.min(min, nextChangeAtMs(r, s, nowMs));
            }
            return min;
        }
        if (rule instanceof Rule.Or or) {
            long min = Long.MAX_VALUE;
            for (Rule r : or.rules()) {
                min = Math.min(min, nextChangeAtMs(r, s, nowMs));
            }
            return min;
        }
        if (rule instanceof Rule.Not not) {
            return nextChangeAtMs(not.rule(), s, nowMs);
        }
        if (rule instanceof Rule.EventCount c) {
            WindowedCounter counter = s.counter(c.event());
            return counter == null ? Long.MAX_VALUE
                    : counter.nextChangeAtMs(c.window(), nowMs, n -> c.op().test(n, c.value()));
        }
        if (rule instanceof Rule.LastSeenWithin l) {
            return recencyBoundary(s, l.duration().toMillis(), nowMs);
        }
        if (rule instanceof Rule.NotSeenFor n) {
            return recencyBoundary(s, n.duration().toMillis(), nowMs);
        }
        if (rule instanceof Rule.RevenueCondition r) {
            return s.revenueSeries().nextChangeAtMs(r.window(), nowMs, v -> r.op().test(v, r.value()));
        }
        // traits and scores change only with new data
        return Long.MAX_VALUE;
    }

    private static long recencyBoundary(UserState s, long durationMs, long nowMs) {
        if (s.lastSeenMs() < 0) {
            return Long.MAX_VALUE;
        }
        long at = s.lastSeenMs() + durationMs;
        return at > nowMs ? at : Long.MAX_VALUE;
    }

    // ---- traits --------------------------------------------------------------------------------

    static boolean trait(Rule.TraitCondition t, JsonNode actual) {
        boolean set = actual != null && !actual.isNull() && !actual.isMissingNode();
        TraitOp op = t.op();
        if (!set) {
            // only the negative operators match a missing trait (is_not_set, neq, not_contains, not_in)
            return op.matchesMissing();
        }
        return switch (op) {
            case IS_SET -> true;
            case IS_NOT_SET -> false;
            case EQ -> equal(actual, t.value());
            case NEQ -> !equal(actual, t.value());
            case CONTAINS -> contains(actual, t.value().asText());
            case NOT_CONTAINS -> !contains(actual, t.value().asText());
            case GT -> compare(actual, t.value()) > 0;
            case GTE -> compare(actual, t.value()) > 0 || comparableAndEqual(actual, t.value());
            case LT -> compare(actual, t.value()) < 0;
            case LTE -> compare(actual, t.value()) < 0 || comparableAndEqual(actual, t.value());
            case BETWEEN -> between(actual, t.value().get(0).asDouble(), t.value().get(1).asDouble());
            case IN -> anyEqual(actual, t.value());
            case NOT_IN -> !anyEqual(actual, t.value());
            // the parser refuses regular expressions for realtime segments (TraitOp.realtime)
            case REGEX, NOT_REGEX -> throw new IllegalArgumentException(op.wireName() + " is not evaluated by the engine");
        };
    }

    private static boolean comparableAndEqual(JsonNode actual, JsonNode expected) {
        if (expected.isNumber()) {
            Double a = number(actual);
            return a != null && a == expected.asDouble();
        }
        return actual.isTextual() && actual.asText().equals(expected.asText());
    }

    private static boolean between(JsonNode actual, double low, double high) {
        Double a = number(actual);
        return a != null && a >= low && a <= high;
    }

    private static boolean anyEqual(JsonNode actual, JsonNode values) {
        for (JsonNode v : values) {
            if (equal(actual, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equal(JsonNode actual, JsonNode expected) {
        if (expected.isNumber()) {
            Double a = number(actual);
            return a != null && a == expected.asDouble();
        }
        return actual.isValueNode() && actual.asText().equals(expected.asText());
    }

    private static boolean contains(JsonNode actual, String needle) {
        if (actual.isArray()) {
            for (JsonNode e : actual) {
                if (e.isValueNode() && e.asText().equals(needle)) {
                    return true;
                }
            }
            return false;
        }
        return actual.isValueNode() && actual.asText().contains(needle);
    }

    /** Sign of actual − expected; {@code 0} (never gt nor lt) when they are not comparable. */
    private static int compare(JsonNode actual, JsonNode expected) {
        if (expected.isNumber()) {
            Double a = number(actual);
            return a == null ? 0 : Double.compare(a, expected.asDouble());
        }
        if (!actual.isTextual()) {
            return 0;
        }
        return Integer.signum(actual.asText().compareTo(expected.asText()));
    }

    private static Double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        // text is a number by the one rule the analyses use too (a JSON number: no '+', no spaces)
        return n.isTextual() ? NumericText.parse(n.asText()) : null;
    }
}
