package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
