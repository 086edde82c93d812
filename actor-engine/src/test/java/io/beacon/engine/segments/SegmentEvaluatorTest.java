package io.beacon.engine.segments;

import static io.beacon.engine.state.StateFixtures.T0;
import static io.beacon.engine.state.StateFixtures.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.TraitOp;
import io.beacon.control.audience.Window;
import io.beacon.engine.state.EngineSettings;
import io.beacon.engine.state.StateFixtures;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SegmentEvaluatorTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults();
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    private static UserState user(long... purchaseTimes) {
        UserState s = new UserState("shop", "u1");
        for (int i = 0; i < purchaseTimes.length; i++) {
            s.apply(track("p" + i, "purchase", purchaseTimes[i], "s", Map.of("revenue", 10)), i, SETTINGS);
        }
        return s;
    }

    @Test
    void shouldExitActiveInTheLast24HoursExactlyAtTheComputedInstant() {
        UserState s = user(T0);
        Rule active = new Rule.LastSeenWithin(Duration.ofHours(24));

        long next = SegmentEvaluator.nextChangeAtMs(active, s, T0 + 5 * HOUR);

        assertEquals(T0 + DAY, next);
        assertTrue(SegmentEvaluator.matches(active, s, next - 1));
        assertFalse(SegmentEvaluator.matches(active, s, next));
        assertEquals(Long.MAX_VALUE, SegmentEvaluator.nextChangeAtMs(active, s, next));
    }

    @Test
    void shouldEnterNotSeenForExactlyAtLastSeenPlusTheDuration() {
        UserState s = user(T0 - HOUR, T0);
        Rule dormant = new Rule.NotSeenFor(Duration.ofDays(3));

        long next = SegmentEvaluator.nextChangeAtMs(dormant, s, T0);

        assertEquals(T0 + 3 * DAY, next);
        assertFalse(SegmentEvaluator.matches(dormant, s, next - 1));
        assertTrue(SegmentEvaluator.matches(dormant, s, next));
    }

    @Test
    void shouldFindWhenTwoPurchasesInSevenDaysDropsToOne() {
        // purchases 6 d, 2 d and 1 h ago; "≥ 2 in 7 d" holds until the 2-day-old one leaves (the 6-day one goes first, count 2 → still true)
        UserState s = user(T0 - 6 * DAY, T0 - 2 * DAY, T0 - HOUR);
        Rule twoInWeek = new Rule.EventCount("purchase", Window.D7, Cmp.GTE, 2);

        long next = SegmentEvaluator.nextChangeAtMs(twoInWeek, s, T0);

        assertEquals(WindowSpec.expiresAt(Window.D7, T0 - 2 * DAY), next);
        assertEquals((Math.floorDiv(T0 - 2 * DAY, HOUR) + 168) * HOUR, next);
        assertTrue(SegmentEvaluator.matches(twoInWeek, s, next - 1));
        assertFalse(SegmentEvaluator.matches(twoInWeek, s, next));
    }

    @Test
    void shouldReportNoTimeChangeForTraitsScoresAllTimeCountsAndUnseenEvents() {
        UserState s = user(T0);
        s.setScore("churn", 0.9, T0);
        for (Rule r : List.of(new Rule.TraitCondition("plan", TraitOp.IS_SET, null), new Rule.ScoreCondition("churn", Cmp.GT, 0.5),
                new Rule.EventCount("purchase", Window.ALL, Cmp.GTE, 1), new Rule.EventCount("signup", Window.H1, Cmp.EQ, 0))) {
            assertEquals(Long.MAX_VALUE, SegmentEvaluator.nextChangeAtMs(r, s, T0), r.toString());
        }
        assertTrue(SegmentEvaluator.matches(new Rule.ScoreCondition("churn", Cmp.GT, 0.5), s, T0));
        assertFalse(SegmentEvaluator.matches(new Rule.ScoreCondition("ltv", Cmp.GT, 0.5), s, T0));
    }

    @Test
    void shouldCompareTraitsAsDocumented() {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.identify("i", T0, Map.of("plan", "pro", "age", "42", "score", 7.5, "tags", List.of("vip", "beta"),
                "email", "a@example.com", "signup", "2026-01-15")), 0, SETTINGS);

        assertTrue(matches(s, "plan", TraitOp.EQ, TextNode.valueOf("pro")));
        assertFalse(matches(s, "plan", TraitOp.EQ, TextNode.valueOf("Pro")));
        assertTrue(matches(s, "age", TraitOp.EQ, IntNode.valueOf(42)), "numeric string equals the number");
        assertTrue(matches(s, "plan", TraitOp.NEQ, TextNode.valueOf("free")));
        assertTrue(matches(s, "missing", TraitOp.NEQ, TextNode.valueOf("free")), "a missing trait is neq anything");
        assertTrue(matches(s, "email", TraitOp.CONTAINS, TextNode.valueOf("@example.")));
        assertTrue(matches(s, "tags", TraitOp.CONTAINS, TextNode.valueOf("vip")));
        assertFalse(matches(s, "tags", TraitOp.CONTAINS, TextNode.valueOf("vi")));
        assertTrue(matches(s, "score", TraitOp.GT, DoubleNode.valueOf(7)));
        assertFalse(matches(s, "score", TraitOp.LT, DoubleNode.valueOf(7)));
        assertTrue(matches(s, "age", TraitOp.LT, IntNode.valueOf(50)));
        assertTrue(matches(s, "signup", TraitOp.GT, TextNode.valueOf("2026-01-01")), "strings compare as text (ISO dates)");
        assertFalse(matches(s, "plan", TraitOp.GT, IntNode.valueOf(1)), "not a number: never gt");
        assertFalse(matches(s, "missing", TraitOp.LT, IntNode.valueOf(1)));
        assertTrue(matches(s, "plan", TraitOp.IS_SET, null));
        assertTrue(matches(s, "missing", TraitOp.IS_NOT_SET, null));
    }

    /** The analyses' rule (NumericText): numeric text is a JSON number, so "+3", " 3" and "007" are text, not 3 or 7. */
    @Test
    void shouldEvaluateTheRangeListAndNegativeOperatorsAsDocumented() {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.identify("i", T0, Map.of("plan", "pro", "age", "42", "score", 7.5, "signup", "2026-01-15")), 0, SETTINGS);
        ArrayNode between = JsonNodeFactory.instance.arrayNode().add(40).add(42);
        ArrayNode plans = JsonNodeFactory.instance.arrayNode().add("team").add("pro");

        assertTrue(matches(s, "age", TraitOp.BETWEEN, between), "both ends included");
        assertFalse(matches(s, "score", TraitOp.BETWEEN, between));
        assertFalse(matches(s, "plan", TraitOp.BETWEEN, between), "not a number: never between");
        assertTrue(matches(s, "age", TraitOp.GTE, IntNode.valueOf(42)));
        assertFalse(matches(s, "age", TraitOp.GTE, IntNode.valueOf(43)));
        assertTrue(matches(s, "score", TraitOp.LTE, DoubleNode.valueOf(7.5)));
        assertFalse(matches(s, "score", TraitOp.LTE, DoubleNode.valueOf(7.4)));
        assertTrue(matches(s, "signup", TraitOp.GTE, TextNode.valueOf("2026-01-15")), "text compares as text");
        assertFalse(matches(s, "plan", TraitOp.GTE, IntNode.valueOf(1)), "not a number: never gte");
        assertTrue(matches(s, "plan", TraitOp.IN, plans));
        assertFalse(matches(s, "plan", TraitOp.NOT_IN, plans));
        assertTrue(matches(s, "age", TraitOp.IN, JsonNodeFactory.instance.arrayNode().add(42)), "numbers in a list compare numerically");
        assertTrue(matches(s, "plan", TraitOp.NOT_CONTAINS, TextNode.valueOf("ee")));
        assertFalse(matches(s, "plan", TraitOp.NOT_CONTAINS, TextNode.valueOf("r")));
        // a missing trait matches exactly the negative operators
        for (TraitOp op : TraitOp.values()) {
            if (!op.realtime()) {
                continue;
            }
            JsonNode value = switch (op) {
                case IS_SET, IS_NOT_SET -> null;
                case BETWEEN -> between;
                case IN, NOT_IN -> plans;
                default -> TextNode.valueOf("x");
            };
            assertEquals(op.matchesMissing(), matches(s, "missing", op, value), op.wireName());
        }
        assertEquals(List.of(TraitOp.NEQ, TraitOp.NOT_CONTAINS, TraitOp.NOT_REGEX, TraitOp.NOT_IN, TraitOp.IS_NOT_SET),
                Arrays.stream(TraitOp.values()).filter(TraitOp::matchesMissing).toList());
    }

    @Test
    void shouldReadOnlyJsonNumbersInTextTraitsAsNumbers() {
        UserState s = new UserState("shop", "u1");
        s.apply(StateFixtures.identify("i", T0, Map.of("plus", "+3", "padded", " 3", "zeros", "007", "exp", "1e2")), 0, SETTINGS);

        assertFalse(matches(s, "plus", TraitOp.EQ, IntNode.valueOf(3)));
        assertFalse(matches(s, "plus", TraitOp.GT, IntNode.valueOf(0)));
        assertFalse(matches(s, "padded", TraitOp.EQ, IntNode.valueOf(3)));
        assertFalse(matches(s, "zeros", TraitOp.GT, IntNode.valueOf(1)));
        assertTrue(matches(s, "exp", TraitOp.EQ, IntNode.valueOf(100)));
    }

    private static boolean matches(UserState s, String trait, TraitOp op, JsonNode value) {
        return SegmentEvaluator.matches(new Rule.TraitCondition(trait, op, value), s, T0);
    }

    /**
     * Random states and rules: the result never changes between now and the reported instant (checked at
     * every bucket boundary and recency boundary in between, the only instants a result can change), and for a
     * single leaf it does change at that instant.
     */
    @Test
    void shouldReportTheExactNextChangeForRandomRulesAndStates() {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            UserState s = new UserState("shop", "u" + round);
            int n = 1 + random.nextInt(8);
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long t = T0 - (long) (random.nextDouble() * (random.nextBoolean() ? 2 * HOUR : 35 * DAY));
                times.add(t);
                s.apply(track("e" + i, random.nextBoolean() ? "a" : "b", t, "s", Map.of("revenue", 1 + random.nextInt(3))), i, SETTINGS);
            }
            Rule leaf = randomLeaf(random);
            Rule rule = random.nextInt(3) == 0 ? new Rule.And(List.of(leaf, randomLeaf(random)))
                    : random.nextBoolean() ? new Rule.Not(leaf) : leaf;
            long now = T0 + (long) (random.nextDouble() * HOUR);
            boolean before = SegmentEvaluator.matches(rule, s, now);
            long next = SegmentEvaluator.nextChangeAtMs(rule, s, now);

            for (long c : candidates(times, now, Math.min(next, now + 40 * DAY))) {
                assertEquals(before, SegmentEvaluator.matches(rule, s, c), rule + " changed at " + (c - now) + " before " + (next - now));
            }
            if (next != Long.MAX_VALUE && !(rule instanceof Rule.And)) {
                assertNotEquals(before, SegmentEvaluator.matches(rule, s, next), rule + " did not change at " + (next - now));
            }
        }
    }

    private static Rule randomLeaf(Random random) {
        Window[] windows = Window.values();
        Cmp[] ops = Cmp.values();
        return switch (random.nextInt(4)) {
            case 0 -> new Rule.EventCount(random.nextBoolean() ? "a" : "b", windows[random.nextInt(windows.length)],
                    ops[random.nextInt(ops.length)], random.nextInt(4));
            case 1 -> new Rule.LastSeenWithin(Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60)));
            case 2 -> new Rule.NotSeenFor(Duration.ofMinutes(1 + random.nextInt(3 * 24 * 60)));
            default -> new Rule.RevenueCondition(windows[random.nextInt(windows.length)], ops[random.nextInt(ops.length)], random.nextInt(8));
        };
    }

    /** Every instant in (now, until) at which some window or recency answer may change, plus their predecessors. */
    private static TreeSet<Long> candidates(List<Long> times, long now, long until) {
        TreeSet<Long> out = new TreeSet<>();
        for (long t : times) {
            for (Window w : new Window[] {Window.H1, Window.H24, Window.D7, Window.D30}) {
                long at = WindowSpec.expiresAt(w, t);
                add(out, at, now, until);
                add(out, at - 1, now, until);
            }
        }
        long last = times.stream().mapToLong(Long::longValue).max().orElseThrow();
        for (long m = 1; m <= 3 * 24 * 60; m++) {
            add(out, last + m * MIN, now, until);
            add(out, last + m * MIN - 1, now, until);
        }
        add(out, now + 1, now, until);
        add(out, until - 1, now, until);
        return out;
    }

    private static void add(TreeSet<Long> out, long t, long now, long until) {
        if (t > now && t < until) {
            out.add(t);
        }
    }
}
