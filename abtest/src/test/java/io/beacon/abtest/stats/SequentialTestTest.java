package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequentialTestTest {

    @Test
    void shouldMatchTheNormalMixtureConfidenceSequence() {
        // reference computed with numpy from gbstats' SequentialTwoSidedTTest half-width formula
        SequentialResult r = SequentialTest.test(WelchTestTest.CONTROL, WelchTestTest.TREATMENT, 0.05, 5000);
        assertEquals(0.70732, r.lift(), 5e-6);
        assertEquals(-0.44442, r.ciLower(), 5e-5);
        assertEquals(1.85906, r.ciUpper(), 5e-5);
    }

    @Test
    void shouldBeWiderThanTheFixedHorizonIntervalAndItsPValueConsistentWithIt() {
        SampleSummary c = SampleSummary.fromConversions(20_000, 2_000);
        SampleSummary t = SampleSummary.fromConversions(20_000, 2_300);
        SequentialResult s = SequentialTest.test(c, t, 0.05, 5000);
        FrequentistResult f = WelchTest.test(c, t, 0.05);
        assertTrue(s.ciUpper() - s.ciLower() > f.ciUpper() - f.ciLower());
        assertEquals(s.ciLower() > 0, s.pValue() < 0.05);
        assertTrue(s.pValue() >= f.pValue());
    }

    @Test
    void shouldRefuseAVariationWithZeroVariance() {
        SampleSummary all = SampleSummary.fromConversions(1000, 1000);
        SampleSummary some = SampleSummary.fromConversions(1000, 100);
        assertThrows(IllegalArgumentException.class, () -> SequentialTest.test(some, all, 0.05, 5000));
    }
}
