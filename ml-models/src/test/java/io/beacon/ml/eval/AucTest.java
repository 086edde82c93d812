package io.beacon.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AucTest {

    @Test
    void shouldCountCorrectlyOrderedPairs() {
        // pairs (pos, neg): (0.35,0.1) yes, (0.35,0.4) no, (0.8,0.1) yes, (0.8,0.4) yes -> 3/4
        assertEquals(0.75, Auc.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
    }

    @Test
    void shouldCountATiedPairAsOneHalf() {
        // pos {0.5, 0.9}, neg {0.1, 0.5}: 1 + 0.5 + 1 + 1 = 3.5 of 4
        assertEquals(0.875, Auc.rocAuc(new double[] {0.1, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}), 1e-12);
        assertEquals(0.5, Auc.rocAuc(new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, true, false}), 1e-12);
    }

    @Test
    void shouldGiveOneForAPerfectRankingAndZeroForTheReverse() {
        boolean[] y = {false, false, true, true, true};
        assertEquals(1.0, Auc.rocAuc(new double[] {0.1, 0.2, 0.7, 0.8, 0.9}, y), 1e-12);
        assertEquals(0.0, Auc.rocAuc(new double[] {0.9, 0.8, 0.3, 0.2, 0.1}, y), 1e-12);
    }

    @Test
    void shouldBeUndefinedWithOneClassOnly() {
        assertTrue(Double.isNaN(Auc.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})));
        assertTrue(Double.isNaN(Auc.prAuc(new double[] {0.1, 0.2}, new boolean[] {false, false})));
    }

    @Test
    void shouldComputeAveragePrecisionAsScikitLearnDoes() {
        // sklearn average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.8333…
        assertEquals(5.0 / 6, Auc.prAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        // ties taken as one threshold: 0.9 -> P=1 R=.5; {0.5,0.5} -> P=2/3 R=1
        assertEquals(0.5 + 0.5 * 2 / 3.0, Auc.prAuc(new double[] {0.1, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}), 1e-12);
    }
}
