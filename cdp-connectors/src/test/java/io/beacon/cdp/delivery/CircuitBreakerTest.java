package io.beacon.cdp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.delivery.CircuitBreaker.State;
import io.beacon.event.cdp.ErrorClass;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final Verdict FAIL = new Verdict.Retry(500, "500");
    private static final Verdict OK = new Verdict.Delivered(200);

    private static CircuitBreaker breaker() {
        return new CircuitBreaker(5, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    private static void fail(CircuitBreaker b, int times, long nowMs) {
        for (int i = 0; i < times; i++) {
            assertTrue(b.allowRequest(nowMs));
            b.record(FAIL, nowMs);
        }
    }

    @Test
    void shouldStayClosedBelowTheThreshold() {
        CircuitBreaker b = breaker();

        fail(b, 4, 1_000);

        assertEquals(State.CLOSED, b.state());
        assertEquals(4, b.consecutiveFailures());
        assertTrue(b.allowRequest(1_000));
        assertEquals(0, b.nextProbeAtMs());
    }

    @Test
    void shouldOpenAfterFiveConsecutiveFailuresAndRefuseUntilOpenForPassed() {
        CircuitBreaker b = breaker();

        fail(b, 5, 1_000);

        assertEquals(State.OPEN, b.state());
        assertEquals(31_000, b.nextProbeAtMs());
        assertFalse(b.allowRequest(1_000));
        assertFalse(b.allowRequest(30_999));
    }

    @Test
    void shouldCountOnlyConsecutiveFailures() {
        CircuitBreaker b = breaker();

        fail(b, 4, 1_000);
        b.record(OK, 1_000);
        fail(b, 4, 1_000);

        assertEquals(State.CLOSED, b.state());
    }

    @Test
    void shouldLetExactlyOneProbeThroughWhenHalfOpen() {
        CircuitBreaker b = breaker();
        fail(b, 5, 1_000);

        assertTrue(b.allowRequest(31_000));

        assertEquals(State.HALF_OPEN, b.state());
        assertFalse(b.allowRequest(31_000));
        assertFalse(b.allowRequest(40_000));
    }

    @Test
    void shouldCloseWhenTheProbeSucceeds() {
        CircuitBreaker b = breaker();
        fail(b, 5, 1_000);
        assertTrue(b.allowRequest(31_000));

        b.record(OK, 31_200);

        assertEquals(State.CLOSED, b.state());
        assertEquals(0, b.consecutiveFailures());
        assertTrue(b.allowRequest(31_200));
        assertTrue(b.allowRequest(31_201));
    }

    @Test
    void shouldReopenForTwiceAsLongWhenTheProbeFailsUpToTheCap() {
        CircuitBreaker b = breaker();
        fail(b, 5, 0);
        long now = 0;
        long[] expectedOpenFor = {60_000, 120_000, 240_000, 480_000, 600_000, 600_000};
        for (long openFor : expectedOpenFor) {
            now = b.nextProbeAtMs();
            assertTrue(b.allowRequest(now));
            b.record(FAIL, now);
            assertEquals(State.OPEN, b.state());
            assertEquals(now + openFor, b.nextProbeAtMs());
            assertEquals(Duration.ofMillis(openFor), b.openFor());
        }
    }

    @Test
    void shouldStartAgainFromOpenForAfterRecovering() {
        CircuitBreaker b = breaker();
        fail(b, 5, 0);
        assertTrue(b.allowRequest(30_000));
        b.record(FAIL, 30_000); // reopened for 60 s
        assertTrue(b.allowRequest(90_000));
        b.record(OK, 90_000);

        fail(b, 5, 100_000);

        assertEquals(130_000, b.nextProbeAtMs());
    }

    @Test
    void shouldCountThrottlingAsAFailureAndHonourALongerRetryAfter() {
        CircuitBreaker b = breaker();
        for (int i = 0; i < 5; i++) {
            b.record(new Verdict.Throttle(429, Optional.of(Duration.ofMinutes(2)), "429"), 1_000);
        }

        assertEquals(State.OPEN, b.state());
        assertEquals(1_000 + 120_000, b.nextProbeAtMs());
    }

    @Test
    void shouldTreatARejectedMessageAsTheDestinationAnswering() {
        CircuitBreaker b = breaker();
        fail(b, 4, 1_000);

        b.record(new Verdict.Permanent(400, ErrorClass.REJECTED, "400"), 1_000);
        fail(b, 4, 1_000);

        assertEquals(State.CLOSED, b.state());
    }

    @Test
    void shouldKeepItsOpenTimeWhenResultsOfEarlierRequestsArrive() {
        CircuitBreaker b = breaker();
        fail(b, 5, 1_000);

        b.record(FAIL, 5_000);

        assertEquals(State.OPEN, b.state());
        assertEquals(31_000, b.nextProbeAtMs());
    }

    @Test
    void shouldGrantAnotherProbeWhenTheFirstNeverReported() {
        CircuitBreaker b = breaker();
        fail(b, 5, 0);
        assertTrue(b.allowRequest(30_000));

        assertFalse(b.allowRequest(59_999));
        assertTrue(b.allowRequest(60_000));
        assertEquals(State.HALF_OPEN, b.state());
    }

    @Test
    void shouldReadItsSettings() {
        CdpSettings settings = CdpSettings.fromConfig(ConfigFactory.defaultReference())
                .withCircuit(2, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofDays(5));
        CircuitBreaker b = CircuitBreaker.of(settings);

        fail(b, 2, 0);

        assertEquals(State.OPEN, b.state());
        assertEquals(1_000, b.nextProbeAtMs());
    }
}
