package io.beacon.dq.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossReportTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_796_119_200_000L;
    private static final long GRACE = 600_000L;

    @Test
    void shouldAccountForDeadLettersAndDuplicatesAndAlertOnlyAboveTheThreshold() {
        // 1,000 copies accepted: 10 dead-lettered, 40 duplicates, 948 stored → 2 lost (0.2 %)
        HourTotals t = new HourTotals(T0, 1_000, 3, 10, 40, 950, 948);
        LossReport.Hour h = LossReport.of(List.of(t), H, T0 + H + GRACE, T0 + H + GRACE, GRACE, 0.001).get(0);
        assertEquals(2, h.lost());
        assertEquals(0.002, h.rate(), 1e-12);
        assertTrue(h.complete());
        assertTrue(h.alert());
        assertFalse(LossReport.of(List.of(t), H, T0 + H + GRACE, T0 + H + GRACE, GRACE, 0.005).get(0).alert());
    }

    @Test
    void shouldJudgeAWindowOnlyOnceItsGraceHasPassedAndTheCollectorsReadPastIt() {
        HourTotals t = new HourTotals(T0, 100, 0, 0, 0, 100, 50);
        assertFalse(LossReport.of(List.of(t), H, T0 + H + GRACE - 1, T0 + 2 * H, GRACE, 0.001).get(0).complete(), "grace not over");
        LossReport.Hour behind = LossReport.of(List.of(t), H, T0 + 2 * H, T0 + H, GRACE, 0.001).get(0);
        assertFalse(behind.complete(), "the collector has not read past the grace");
        assertFalse(behind.alert(), "an incomplete window never alerts, however much is missing so far");
        assertEquals(50, behind.lost(), "the figure is shown as it stands");
    }

    @Test
    void shouldReportAnExcessWithoutAlertingAndAnEmptyWindowAsZero() {
        LossReport.Hour excess = LossReport.of(List.of(new HourTotals(T0, 10, 0, 0, 0, 10, 12)), H, T0 + 2 * H, T0 + 2 * H, GRACE, 0.001).get(0);
        assertEquals(-2, excess.lost());
        assertFalse(excess.alert());
        LossReport.Hour empty = LossReport.of(List.of(new HourTotals(T0, 0, 5, 0, 0, 0, 0)), H, T0 + 2 * H, T0 + 2 * H, GRACE, 0.001).get(0);
        assertEquals(0.0, empty.rate());
        assertFalse(empty.alert());
    }
}
