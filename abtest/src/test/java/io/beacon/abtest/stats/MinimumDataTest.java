package io.beacon.abtest.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MinimumDataTest {
    @Test
    void shouldWithholdAVerdictUntilUnitsAndConversionsSuffice() {
        MinimumData rule = new MinimumData(100, 25);
        assertTrue(rule.shortfall(99, 50, true).orElseThrow().contains("100 units"));
        assertTrue(rule.shortfall(200, 24, true).orElseThrow().contains("25 conversions"));
        assertTrue(rule.shortfall(200, 0, false).isEmpty());
        assertTrue(rule.shortfall(200, 25, true).isEmpty());
    }
}
