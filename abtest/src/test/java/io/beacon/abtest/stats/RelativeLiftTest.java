package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelativeLiftTest {
    private static final SampleSummary SOME = SampleSummary.fromConversions(1000, 100);

    @Test
    void shouldCallATreatmentWithoutConversionsZeroVariance() {
        assertEquals(Optional.of(RelativeLift.NotEstimable.ZERO_VARIANCE), RelativeLift.check(SOME, SampleSummary.fromConversions(1000, 0)));
        assertThrows(IllegalArgumentException.class, () -> RelativeLift.of(SOME, SampleSummary.fromConversions(1000, 0)));
    }

    @Test
    void shouldCallAVariationWhereEveryUnitConvertedZeroVarianceAlthoughTheDeltaVarianceIsNotZero() {
        // the control term alone would give an interval: gbstats refuses it all the same
        assertEquals(Optional.of(RelativeLift.NotEstimable.ZERO_VARIANCE), RelativeLift.check(SOME, SampleSummary.fromConversions(1000, 1000)));
        assertEquals(Optional.of(RelativeLift.NotEstimable.ZERO_VARIANCE), RelativeLift.check(SampleSummary.fromConversions(1000, 1000), SOME));
    }

    @Test
    void shouldNeedTwoUnitsPerVariationAndANonZeroControlMean() {
        assertEquals(Optional.of(RelativeLift.NotEstimable.TOO_FEW_UNITS), RelativeLift.check(SampleSummary.fromConversions(1, 1), SOME));
        // refunds: values of both signs averaging zero
        SampleSummary zeroMean = new SampleSummary(100, 0, 4);
        assertEquals(Optional.of(RelativeLift.NotEstimable.ZERO_CONTROL_MEAN), RelativeLift.check(zeroMean, SOME));
        assertFalse(RelativeLift.estimable(zeroMean, SOME));
        assertTrue(RelativeLift.estimable(SOME, zeroMean));
    }
}
