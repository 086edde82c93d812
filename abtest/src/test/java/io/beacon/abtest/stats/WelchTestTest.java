package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reference values of GrowthBook's gbstats TwoSidedTTest (relative) test cases, to 4 decimals or better. */
class WelchTestTest {
    static final SampleSummary CONTROL = SampleSummary.fromSums(3407, 1396.87, 52377.9767);
    static final SampleSummary TREATMENT = SampleSummary.fromSums(3461, 2422.7, 134698.29);

    @Test
    void shouldMatchTheReferenceLiftIntervalAndPValue() {
        FrequentistResult r = WelchTest.test(CONTROL, TREATMENT, 0.05);
        assertEquals(0.70732, r.lift(), 5e-6);
        assertEquals(-0.03526, r.ciLower(), 5e-6);
        assertEquals(1.44989, r.ciUpper(), 5e-6);
        assertEquals(0.06191, r.pValue(), 5e-6);
        assertFalse(r.significant(0.05));
    }

    @Test
    void shouldUseWelchSatterthwaiteDegreesOfFreedom() {
        // computed independently with scipy: 5841.742
        assertEquals(5841.742, WelchTest.welchDegreesOfFreedom(CONTROL, TREATMENT), 1e-3);
    }

    @Test
    void shouldFindASignificantConversionLiftWithLargeSamples() {
        SampleSummary c = SampleSummary.fromConversions(10_000, 1_000);
        SampleSummary t = SampleSummary.fromConversions(10_000, 1_200);
        FrequentistResult r = WelchTest.test(c, t, 0.05);
        assertEquals(0.2, r.lift(), 1e-12);
        assertTrue(r.significant(0.05));
        assertTrue(r.ciLower() > 0);
    }

    @Test
    void shouldMatchTheGbstatsBinomialCaseWithTheBernoulliVariance() {
        // gbstats tests/frequentist/test_tests.py test_two_sided_ttest_binom: ProportionStatistic 14/28 vs 16/30
        FrequentistResult r = WelchTest.test(SampleSummary.fromConversions(28, 14), SampleSummary.fromConversions(30, 16), 0.05);
        assertEquals(0.06667, r.lift(), 5e-6);
        assertEquals(-0.47767, r.ciLower(), 5e-6);
        assertEquals(0.61101, r.ciUpper(), 5e-6);
        assertEquals(0.80707, r.pValue(), 5e-6);
        assertEquals(0.2717, r.standardError(), 5e-5);
    }

    @Test
    void shouldRefuseAVariationWithZeroVariance() {
        SampleSummary none = SampleSummary.fromConversions(1000, 0);
        SampleSummary some = SampleSummary.fromConversions(1000, 100);
        assertThrows(IllegalArgumentException.class, () -> WelchTest.test(some, none, 0.05));
        // gbstats test_two_sided_ttest_missing_variance: a negative sample variance (n = 2) counts as zero
        assertThrows(IllegalArgumentException.class, () -> WelchTest.test(SampleSummary.fromSums(2, 1396.87, 52377.9767), TREATMENT, 0.05));
    }
}
