package io.beacon.ml.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {
    static final long T = 1_000_000L;
    static final long H = 100L;

    @Test
    void shouldCountAnEventExactlyAtTheCutoffAsFeatureNotLabel() {
        assertTrue(Labels.churned(List.of(new LabelFact("open", T, 0)), T, H, Set.of()));
    }

    @Test
    void shouldIncludeTheEndOfTheHorizon() {
        assertFalse(Labels.churned(List.of(new LabelFact("open", T + H, 0)), T, H, Set.of()));
        assertTrue(Labels.churned(List.of(new LabelFact("open", T + H + 1, 0)), T, H, Set.of()));
    }

    @Test
    void shouldCountOnlyQualifyingEventsAsActivity() {
        List<LabelFact> facts = List.of(new LabelFact("email_opened", T + 5, 0));
        assertTrue(Labels.churned(facts, T, H, Set.of("app_open")));
        assertFalse(Labels.churned(facts, T, H, Set.of()));
    }

    @Test
    void shouldSumRevenueAfterAndBeforeTheCutoff() {
        List<LabelFact> facts = List.of(new LabelFact("buy", T - H, 1), new LabelFact("buy", T - 1, 2), new LabelFact("buy", T, 4),
                new LabelFact("buy", T + 1, 8), new LabelFact("buy", T + H, 16), new LabelFact("buy", T + H + 1, 32));
        assertEquals(24, Labels.revenueAfter(facts, T, H), 1e-12);
        assertEquals(6, Labels.revenueBefore(facts, T, H), 1e-12);
    }

    @Test
    void shouldStackCutoffsOldestFirst() {
        assertEquals(List.of(80L, 90L, 100L), Cutoffs.of(100, 10, 3));
        assertEquals(List.of(100L), Cutoffs.of(100, 10, 1));
    }

    @Test
    void shouldPutTheDefaultLatestCutoffOneHorizonBeforeTodaysUtcMidnight() {
        long day = 86_400_000L;
        assertEquals(20 * day - 14 * day, Cutoffs.defaultLatest(20 * day + 5_000, 14 * day));
    }
}
