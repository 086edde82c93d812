package io.beacon.loadtest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WebhookArrivalsTest {

    @Test
    void shouldRecordArrivalMinusSendTimeOfMeasuredIdsOnly() {
        WebhookArrivals a = new WebhookArrivals();
        a.sent("warm", 1_000, false);
        a.sent("m1", 2_000, true);
        a.sent("m2", 2_001, true);

        a.arrived("warm", 1_500);
        a.arrived("m1", 2_040);
        a.arrived("m2", 2_901);

        Histogram h = a.latencyMillis();
        assertEquals(2, h.getTotalCount());
        assertEquals(40, h.getMinValue());
        assertEquals(900, h.getMaxValue(), 1);
        assertEquals(2, a.measuredSent());
        assertEquals(2, a.measuredArrived());
        assertEquals(3, a.arrivedCount());
    }

    @Test
    void shouldCountARepeatedIdAsADuplicateAndKeepItsFirstArrival() {
        WebhookArrivals a = new WebhookArrivals();
        a.sent("m1", 100, true);

        assertTrue(a.arrived("m1", 150));
        assertFalse(a.arrived("m1", 9_000));

        assertEquals(1, a.duplicates());
        assertEquals(1, a.arrivedCount());
        assertEquals(50, a.latencyMillis().getMaxValue());
        assertEquals(150, a.lastArrivalMs());
    }

    @Test
    void shouldCountIdsNeverSentOrMissingAsUnknown() {
        WebhookArrivals a = new WebhookArrivals();
        a.sent("m1", 100, true);

        assertFalse(a.arrived("other", 120));
        assertFalse(a.arrived(null, 130));

        assertEquals(2, a.unknown());
        assertEquals(0, a.arrivedCount());
        assertEquals(-1, a.firstArrivalMs());
        assertTrue(Double.isNaN(a.perSecondBetweenFirstAndLast()));
    }

    @Test
    void shouldRateArrivalsOverTheIntervalsBetweenFirstAndLast() {
        WebhookArrivals a = new WebhookArrivals();
        for (int i = 0; i < 11; i++) {
            a.sent("m" + i, 0, true);
            a.arrived("m" + i, 5_000 + i * 100L);
        }

        // 10 intervals of 100 ms: 10 per second; 11 arrivals in the 6 s since the start at 0
        assertEquals(10.0, a.perSecondBetweenFirstAndLast(), 1e-9);
        assertEquals(11 * 1000.0 / 6_000, a.perSecondSince(0), 1e-9);
        assertEquals(5_000, a.firstArrivalMs());
        assertEquals(6_000, a.lastArrivalMs());
    }

    @Test
    void shouldCapALatencyBeyondTheHistogramRange() {
        WebhookArrivals a = new WebhookArrivals();
        a.sent("late", 0, true);

        a.arrived("late", WebhookArrivals.MAX_LATENCY_MS * 2);

        assertEquals(WebhookArrivals.MAX_LATENCY_MS, a.latencyMillis().getMaxValue(), WebhookArrivals.MAX_LATENCY_MS / 1000);
    }
}
