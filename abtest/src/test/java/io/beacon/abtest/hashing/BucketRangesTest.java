package io.beacon.abtest.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The "getBucketRange", "chooseVariation", "inNamespace" and "getEqualWeights" cases of GrowthBook's spec suite. */
class BucketRangesTest {

    private static void assertRanges(double[][] expected, List<BucketRanges.Range> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], actual.get(i).start(), 1e-9, "start of " + i);
            assertEquals(expected[i][1], actual.get(i).end(), 1e-9, "end of " + i);
        }
    }

    @Test
    void shouldSplitEvenlyAtFullCoverage() {
        assertRanges(new double[][] {{0, 0.5}, {0.5, 1}}, BucketRanges.ranges(2, 1, null));
        assertRanges(new double[][] {{0, 0.25}, {0.25, 0.5}, {0.5, 0.75}, {0.75, 1}}, BucketRanges.ranges(4, 1, null));
    }

    @Test
    void shouldShrinkEachRangeFromItsStartWhenCoverageIsReduced() {
        assertRanges(new double[][] {{0, 0.25}, {0.5, 0.75}}, BucketRanges.ranges(2, 0.5, null));
        assertRanges(new double[][] {{0, 0}, {0.5, 0.5}}, BucketRanges.ranges(2, 0, null));
        assertRanges(new double[][] {{0, 0.04}, {0.2, 0.26}, {0.5, 0.6}}, BucketRanges.ranges(3, 0.2, List.of(0.2, 0.3, 0.5)));
    }

    @Test
    void shouldClampCoverage() {
        assertRanges(new double[][] {{0, 0}, {0.5, 0.5}}, BucketRanges.ranges(2, -0.2, null));
        assertRanges(new double[][] {{0, 0.5}, {0.5, 1}}, BucketRanges.ranges(2, 1.5, null));
    }

    @Test
    void shouldUseUnevenWeights() {
        assertRanges(new double[][] {{0, 0.4}, {0.4, 1}}, BucketRanges.ranges(2, 1, List.of(0.4, 0.6)));
        assertRanges(new double[][] {{0, 0.2}, {0.2, 0.5}, {0.5, 1}}, BucketRanges.ranges(3, 1, List.of(0.2, 0.3, 0.5)));
        assertRanges(new double[][] {{0, 0.4}, {0.4, 0.9999}}, BucketRanges.ranges(2, 1, List.of(0.4, 0.5999)));
    }

    @Test
    void shouldFallBackToEqualWeightsWhenWeightsAreInvalid() {
        assertRanges(new double[][] {{0, 0.5}, {0.5, 1}}, BucketRanges.ranges(2, 1, List.of(0.4, 0.1)));
        assertRanges(new double[][] {{0, 0.5}, {0.5, 1}}, BucketRanges.ranges(2, 1, List.of(0.7, 0.6)));
        assertRanges(new double[][] {{0, 0.25}, {0.25, 0.5}, {0.5, 0.75}, {0.75, 1}}, BucketRanges.ranges(4, 1, List.of(0.4, 0.4, 0.2)));
    }

    @Test
    void shouldChooseTheRangeHoldingTheHashWithExclusiveEnds() {
        List<BucketRanges.Range> even = BucketRanges.ranges(2, 1, null);
        assertEquals(0, BucketRanges.chooseVariation(0.2, even));
        assertEquals(1, BucketRanges.chooseVariation(0.6, even));
        assertEquals(0, BucketRanges.chooseVariation(0, even));
        assertEquals(1, BucketRanges.chooseVariation(0.5, even));
        List<BucketRanges.Range> reduced = BucketRanges.ranges(2, 0.5, null);
        assertEquals(0, BucketRanges.chooseVariation(0.2, reduced));
        assertEquals(-1, BucketRanges.chooseVariation(0.4, reduced));
        assertEquals(1, BucketRanges.chooseVariation(0.6, reduced));
        assertEquals(-1, BucketRanges.chooseVariation(0.8, reduced));
        assertEquals(-1, BucketRanges.chooseVariation(0.25, reduced));
        List<BucketRanges.Range> zero = List.of(new BucketRanges.Range(0, 0.5), new BucketRanges.Range(0.5, 0.5),
                new BucketRanges.Range(0.5, 1));
        assertEquals(2, BucketRanges.chooseVariation(0.5, zero));
    }

    @Test
    void shouldReproduceTheNamespaceCases() {
        String[][] cases = {
                {"1", "namespace1", "0", "0.4", "false"}, {"1", "namespace1", "0.4", "1", "true"},
                {"1", "namespace2", "0", "0.4", "false"}, {"1", "namespace2", "0.4", "1", "true"},
                {"2", "namespace1", "0", "0.4", "false"}, {"2", "namespace1", "0.4", "1", "true"},
                {"2", "namespace2", "0", "0.4", "false"}, {"2", "namespace2", "0.4", "1", "true"},
                {"3", "namespace1", "0", "0.4", "false"}, {"3", "namespace1", "0.4", "1", "true"},
                {"3", "namespace2", "0", "0.4", "true"}, {"3", "namespace2", "0.4", "1", "false"},
                {"4", "namespace1", "0", "0.4", "false"}, {"4", "namespace1", "0.4", "1", "true"},
                {"4", "namespace2", "0", "0.4", "true"}, {"4", "namespace2", "0.4", "1", "false"}};
        for (String[] c : cases) {
            assertEquals(Boolean.parseBoolean(c[4]),
                    BucketRanges.inNamespace(c[0], c[1], Double.parseDouble(c[2]), Double.parseDouble(c[3])), String.join(",", c));
        }
    }

    @Test
    void shouldComputeEqualWeights() {
        assertTrue(BucketRanges.equalWeights(-1).isEmpty());
        assertTrue(BucketRanges.equalWeights(0).isEmpty());
        assertEquals(List.of(1.0), BucketRanges.equalWeights(1));
        assertEquals(List.of(0.5, 0.5), BucketRanges.equalWeights(2));
        assertEquals(0.33333333, BucketRanges.equalWeights(3).get(2), 1e-8);
        assertEquals(List.of(0.25, 0.25, 0.25, 0.25), BucketRanges.equalWeights(4));
        assertFalse(BucketRanges.ranges(3, 1, null).isEmpty());
    }
}
