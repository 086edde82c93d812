package io.beacon.dq.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VolumeSettingsTest {

    @Test
    void shouldDefaultToMediumBothDirectionsFourWeeksThreePointsAndTenEvents() {
        assertEquals(new VolumeSettings(4.5, VolumeSettings.Direction.BOTH, 4, 3, 10), VolumeSettings.defaults());
    }

    @Test
    void shouldParseSensitivityPresetsAndNumbers() {
        assertEquals(5.5, VolumeSettings.of("low").sensitivity());
        assertEquals(4.5, VolumeSettings.of("medium").sensitivity());
        assertEquals(3.5, VolumeSettings.of(" HIGH ").sensitivity());
        assertEquals(3.0, VolumeSettings.of("3").sensitivity());
        assertEquals(2.75, VolumeSettings.of("2.75").sensitivity());
        assertEquals(VolumeSettings.defaults().withSensitivity(2.75), VolumeSettings.of("2.75"));
    }

    @Test
    void shouldRefuseAnUnknownOrNonPositiveSensitivityNamingTheValue() {
        for (String bad : new String[] {"extreme", "0", "-1", "NaN", "Infinity", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VolumeSettings.of(bad));
            assertEquals("sensitivity must be low, medium, high or a number > 0, not '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void shouldParseDirectionsAndRefuseOthers() {
        assertEquals(VolumeSettings.Direction.DROPS, VolumeSettings.Direction.parse("drops"));
        assertEquals(VolumeSettings.Direction.SPIKES, VolumeSettings.Direction.parse("Spikes"));
        assertEquals(VolumeSettings.Direction.BOTH, VolumeSettings.Direction.parse("both"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VolumeSettings.Direction.parse("up"));
        assertEquals("direction must be drops, spikes or both, not 'up'", e.getMessage());
    }

    @Test
    void shouldAdmitChangesByDirection() {
        assertTrue(VolumeSettings.Direction.DROPS.admits(VolumeAnomaly.Direction.DROP));
        assertFalse(VolumeSettings.Direction.DROPS.admits(VolumeAnomaly.Direction.SPIKE));
        assertTrue(VolumeSettings.Direction.SPIKES.admits(VolumeAnomaly.Direction.SPIKE));
        assertFalse(VolumeSettings.Direction.SPIKES.admits(VolumeAnomaly.Direction.DROP));
        assertTrue(VolumeSettings.Direction.BOTH.admits(VolumeAnomaly.Direction.DROP));
        assertTrue(VolumeSettings.Direction.BOTH.admits(VolumeAnomaly.Direction.SPIKE));
    }

    @Test
    void shouldRefuseInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> VolumeSettings.defaults().withMinHistoryPoints(5));
        assertThrows(IllegalArgumentException.class, () -> VolumeSettings.defaults().withBaselineWeeks(0));
        assertThrows(IllegalArgumentException.class, () -> VolumeSettings.defaults().withMinAbsoluteChange(-1));
        assertThrows(IllegalArgumentException.class, () -> VolumeSettings.defaults().withSensitivity(0));
    }
}
