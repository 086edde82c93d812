package io.beacon.dq.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.dq.DqAlert;
import io.beacon.dq.anomaly.VolumeAnomaly;
import io.beacon.dq.loss.HourTotals;
import io.beacon.dq.loss.LossReport;
import io.beacon.dq.reconcile.Reconciliation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_796_119_200_000L;

    @Test
    void shouldRaiseALossAlertPerCompleteWindowOverTheThresholdWithAStableId() {
        List<LossReport.Hour> windows = LossReport.of(List.of(new HourTotals(T0, 1_000, 0, 0, 0, 1_000, 980),
                new HourTotals(T0 + H, 1_000, 0, 0, 0, 1_000, 1_000)), H, T0 + 3 * H, T0 + 3 * H, 0, 0.001);
        List<DqAlert> alerts = AlertRules.loss("shop", windows, 0.001);
        assertEquals(1, alerts.size());
        DqAlert a = alerts.get(0);
        assertEquals("critical", a.severity(), "2 % is over ten times the threshold");
        assertEquals("20 of 1000 accepted events (2.000 %) did not reach ClickHouse", a.message());
        assertEquals("20", a.details().get("lost"));
        assertEquals(a.eventId(), AlertRules.loss("shop", windows, 0.001).get(0).eventId(), "the same finding, the same id");
        assertNotEquals(a.eventId(), AlertRules.loss("other", windows, 0.001).get(0).eventId());
        assertTrue(a.eventId().matches("dq-[0-9a-f]{32}"));
    }

    @Test
    void shouldRaiseAnAccuracyAlertNamingMissingIdsOrTheFigureOff() {
        Reconciliation missing = Reconciliation.of(Map.of("a", 1, "b", 1), Map.of("a", "u", "b", "v"), Set.of(), Set.of("a"), 1, 2, 5);
        DqAlert m = AlertRules.reconciliation("shop", T0, missing, 0.01).orElseThrow();
        assertEquals("critical", m.severity());
        assertEquals("1 accepted event ids are neither in ClickHouse nor dead-lettered (e.g. b)", m.message());
        Reconciliation clean = Reconciliation.of(Map.of("a", 1), Map.of("a", "u"), Set.of(), Set.of("a"), 1, 1, 5);
        assertTrue(AlertRules.reconciliation("shop", T0, clean, 0.01).isEmpty());
    }

    @Test
    void shouldDescribeAVolumeAnomaly() {
        List<DqAlert> v = AlertRules.volume("shop", "buy", List.of(new VolumeAnomaly(T0, 12, 100, 60, 140, -7.5,
                VolumeAnomaly.Direction.DROP, 4)), 4.5);
        assertEquals("buy: 12 events in the hour, expected about 100 (a drop)", v.get(0).message());
        assertEquals("buy", v.get(0).subject());
    }
}
