package io.beacon.dq.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorsTest {

    @Test
    void shouldFlagAPropertyPresentInFewerEventsThanTheMinimum() {
        List<Monitors.FillRate> rates = Monitors.fillRates("buy", 200, List.of("amount"), List.of("coupon"),
                Map.of("amount", 189L, "coupon", 200L), 0.95);
        assertEquals(new Monitors.FillRate("buy", "amount", true, 200, 189, 0.945, true), rates.get(0));
        assertFalse(rates.get(1).below());
        assertFalse(Monitors.fillRates("buy", 0, List.of("amount"), List.of(), Map.of(), 0.95).get(0).below(), "no events, nothing to judge");
    }

    @Test
    void shouldSplitATagIntoCodeAndFieldWithASeverity() {
        Monitors.Warning w = Monitors.warning("UNKNOWN_PROPERTY:coupon", 0, 3, 1, 2, "e1");
        assertEquals("UNKNOWN_PROPERTY", w.code());
        assertEquals("coupon", w.field());
        assertEquals("info", w.severity());
        assertEquals("warning", Monitors.warning("identity_merge_refused", 0, 1, 1, 1, "e2").severity());
        assertEquals("warning", Monitors.warning("event_time_future_clamped", 0, 1, 1, 1, "e3").severity());
        assertEquals("error", Monitors.deadLetters("ENUM_VIOLATION", 0, 4).severity());
        assertTrue(Monitors.warning("DEPRECATED_EVENT:old", 0, 1, 1, 1, "e4").severity().equals("info"));
    }
}
