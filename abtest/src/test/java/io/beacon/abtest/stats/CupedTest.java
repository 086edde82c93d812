package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CupedTest {

    /** Units whose metric is its pre-period value plus noise plus a treatment effect. */
    private static CovariateSums arm(Random random, int n, double effect) {
        double sy = 0, syy = 0, sx = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = 10 + 3 * random.nextGaussian();
            double y = x + effect + random.nextGaussian();
            sy += y;
            syy += y * y;
            sx += x;
            sxx += x * x;
            sxy += x * y;
        }
        return new CovariateSums(UnitValues.NUMERIC, n, sy, syy, sx, sxx, sxy);
    }

    @Test
    void shouldCutVarianceAndKeepTheEffectWhenTheCovariatePredictsTheMetric() {
        Random random = new Random(7);
        List<CovariateSums> arms = List.of(arm(random, 5000, 0), arm(random, 5000, 0.5));
        Cuped.Adjusted a = Cuped.adjust(arms);
        assertEquals(1.0, a.theta(), 0.05);
        assertTrue(a.varianceReduction() > 0.85, "variance reduction " + a.varianceReduction());
        double adjustedDiff = a.summaries().get(1).mean() - a.summaries().get(0).mean();
        assertEquals(0.5, adjustedDiff, 0.06);
        FrequentistResult raw = WelchTest.test(arms.get(0).y(), arms.get(1).y(), 0.05);
        FrequentistResult adjusted = WelchTest.test(a.summaries().get(0), a.summaries().get(1), 0.05);
        assertTrue(adjusted.standardError() < raw.standardError() / 2);
    }

    @Test
    void shouldLeaveDataUnchangedWhenTheCovariateIsConstant() {
        List<CovariateSums> arms = new ArrayList<>();
        arms.add(new CovariateSums(UnitValues.NUMERIC, 100, 50, 50, 0, 0, 0));
        arms.add(new CovariateSums(UnitValues.NUMERIC, 100, 60, 60, 0, 0, 0));
        Cuped.Adjusted a = Cuped.adjust(arms);
        assertEquals(0, a.theta());
        assertEquals(arms.get(1).y(), a.summaries().get(1));
    }

    @Test
    void shouldUseBernoulliMomentsForConversions() {
        // 40 of 100 converted before exposure, 50 after, 30 both: Var = p (1 − p), Cov = Σxy/n − x̄ȳ (gbstats ProportionStatistic)
        CovariateSums arm = new CovariateSums(UnitValues.BINARY, 100, 50, 50, 40, 40, 30);
        assertEquals(0.25, arm.y().variance(), 1e-12);
        assertEquals(0.24, arm.x().variance(), 1e-12);
        assertEquals(0.30 - 0.40 * 0.50, arm.covariance(), 1e-12);
    }
}
