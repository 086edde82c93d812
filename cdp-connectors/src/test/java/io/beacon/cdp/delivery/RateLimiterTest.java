package io.beacon.cdp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    private static int drain(RateLimiter l, long nowNanos) {
        int n = 0;
        while (l.tryAcquire(nowNanos)) {
            n++;
        }
        return n;
    }

    @Test
    void shouldStartFullWithABurstOfOneSecondsRate() {
        assertEquals(10, drain(new RateLimiter(10), 5 * SECOND));
        assertEquals(1, drain(new RateLimiter(0.5), 5 * SECOND));
        assertEquals(2, drain(new RateLimiter(2.5), 5 * SECOND));
    }

    @Test
    void shouldRefillAtTheRate() {
        RateLimiter l = new RateLimiter(10);
        drain(l, 0);

        assertFalse(l.tryAcquire(SECOND / 10 - 1));
        assertTrue(l.tryAcquire(SECOND / 10));
        assertFalse(l.tryAcquire(SECOND / 10));
        assertEquals(5, drain(l, SECOND / 10 + SECOND / 2));
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        RateLimiter l = new RateLimiter(10);
        drain(l, 0);

        assertEquals(10, drain(l, 3_600 * SECOND));
    }

    @Test
    void shouldSayExactlyHowLongUntilTheNextToken() {
        RateLimiter l = new RateLimiter(4);
        assertEquals(0, l.nanosUntilNext(0));
        drain(l, 0);

        long wait = l.nanosUntilNext(100);

        assertEquals(SECOND / 4 - 100, wait);
        assertFalse(l.tryAcquire(100 + wait - 1));
        assertTrue(l.tryAcquire(100 + wait));
        assertEquals(SECOND / 4, l.nanosUntilNext(100 + wait));
    }

    @Test
    void shouldAllowTheRateOverALongRun() {
        RateLimiter l = new RateLimiter(50);
        int granted = 0;
        for (long t = 0; t <= 10 * SECOND; t += SECOND / 1_000) {
            if (l.tryAcquire(t)) {
                granted++;
            }
        }

        assertEquals(50 + 10 * 50, granted);
    }

    @Test
    void shouldWorkWithNegativeNanoTimesAndAClockGoingBack() {
        RateLimiter l = new RateLimiter(1);
        assertTrue(l.tryAcquire(-10 * SECOND));
        assertFalse(l.tryAcquire(-10 * SECOND - 5));
        assertTrue(l.tryAcquire(-9 * SECOND));
    }

    @Test
    void shouldRefuseANonPositiveRate() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN));
    }
}
