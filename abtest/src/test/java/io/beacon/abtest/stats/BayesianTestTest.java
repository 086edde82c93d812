package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BayesianTestTest {

    @Test
    void shouldGiveTheNormalPosteriorOfTheLiftUnderAFlatPrior() {
        // reference values computed with scipy.stats.norm on the delta-method lift and variance
        BayesianResult r = BayesianTest.test(WelchTestTest.CONTROL, WelchTestTest.TREATMENT, 0.95);
        assertEquals(0.70732, r.lift(), 5e-6);
        assertEquals(0.96907, r.chanceToWin(), 5e-6);
        assertEquals(-0.03511, r.ciLower(), 5e-6);
        assertEquals(1.44974, r.ciUpper(), 5e-6);
        assertTrue(r.risk() > 0 && r.risk() < 0.01, "small expected loss: " + r.risk());
    }

    @Test
    void shouldShrinkTowardsTheMeanOfAProperPrior() {
        BayesianResult flat = BayesianTest.test(WelchTestTest.CONTROL, WelchTestTest.TREATMENT, 0.95);
        BayesianResult shrunk = BayesianTest.test(WelchTestTest.CONTROL, WelchTestTest.TREATMENT, 0.95,
                BayesianTest.Prior.gaussian(0, 0.1));
        assertTrue(shrunk.lift() < flat.lift() && shrunk.lift() > 0);
        assertTrue(shrunk.ciUpper() - shrunk.ciLower() < flat.ciUpper() - flat.ciLower());
    }

    @Test
    void shouldGiveEvenOddsForIdenticalArms() {
        SampleSummary s = SampleSummary.fromConversions(1000, 100);
        assertEquals(0.5, BayesianTest.test(s, s, 0.95).chanceToWin(), 1e-12);
    }

    @Test
    void shouldReproduceTheGbstatsBinomialVectorWithTheBernoulliVariance() {
        // gbstats tests/bayesian/test_tests.py TestBinom: ProportionStatistic(sum=49, n=100) vs (sum=51, n=100)
        BayesianResult r = BayesianTest.test(SampleSummary.fromConversions(100, 49), SampleSummary.fromConversions(100, 51), 0.95);
        assertEquals(0.04082, r.lift(), 1e-4);
        assertEquals(-0.24779, r.ciLower(), 1e-4);
        assertEquals(0.32943, r.ciUpper(), 1e-4);
        assertEquals(0.60918, r.chanceToWin(), 1e-4);
        assertEquals(0.04058, r.risk(), 1e-4); // gbstats' risk[1], the treatment's expected loss
    }

    @Test
    void shouldRefuseAVariationWithZeroVariance() {
        // 0 of 1000 converted: the delta-method variance is 0 and the interval would be [−1, −1]
        SampleSummary none = SampleSummary.fromConversions(1000, 0);
        SampleSummary some = SampleSummary.fromConversions(1000, 100);
        assertThrows(IllegalArgumentException.class, () -> BayesianTest.test(some, none, 0.95));
        assertThrows(IllegalArgumentException.class, () -> BayesianTest.test(some, none, 0.95, BayesianTest.Prior.gaussian(0, 0.1)));
    }
}
