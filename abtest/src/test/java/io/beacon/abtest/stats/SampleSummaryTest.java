package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleSummaryTest {

    @Test
    void shouldUseTheBernoulliVarianceForConversions() {
        // gbstats ProportionStatistic: p (1 − p), not the sample variance with n − 1
        SampleSummary s = SampleSummary.fromConversions(100, 49);
        assertEquals(0.49, s.mean(), 1e-12);
        assertEquals(0.49 * 0.51, s.variance(), 1e-12);
    }

    @Test
    void shouldUseTheSampleVarianceForNumericValues() {
        SampleSummary s = SampleSummary.fromSums(100, 49, 49);
        assertEquals(0.49 * 0.51 * 100 / 99, s.variance(), 1e-12);
    }

    @Test
    void shouldSummariseNoUnitsAsZeros() {
        assertEquals(new SampleSummary(0, 0, 0), SampleSummary.fromConversions(0, 0));
    }
}
