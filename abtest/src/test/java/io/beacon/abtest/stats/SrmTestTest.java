package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SrmTestTest {

    @Test
    void shouldFlagOneThousandVersusTwelveHundredAtFiftyFifty() {
        SrmResult r = SrmTest.test(new long[] {1000, 1200}, new double[] {0.5, 0.5});
        assertEquals(18.1818, r.chiSquare(), 5e-5);
        assertEquals(2.0079e-5, r.pValue(), 5e-9);
        assertTrue(r.flagged());
    }

    @Test
    void shouldNotFlagABalancedSplit() {
        SrmResult r = SrmTest.test(new long[] {1010, 990}, new double[] {0.5, 0.5});
        assertEquals(0.2, r.chiSquare(), 1e-12);
        assertFalse(r.flagged());
    }

    @Test
    void shouldUseTheConfiguredWeights() {
        assertFalse(SrmTest.test(new long[] {2000, 8000}, new double[] {0.2, 0.8}).flagged());
        assertTrue(SrmTest.test(new long[] {2500, 7500}, new double[] {0.2, 0.8}).flagged());
    }

    @Test
    void shouldNotFlagWithoutData() {
        assertFalse(SrmTest.test(new long[] {0, 0}, new double[] {0.5, 0.5}).flagged());
    }
}
