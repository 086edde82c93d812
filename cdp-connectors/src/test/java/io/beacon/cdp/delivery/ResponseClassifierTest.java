package io.beacon.cdp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.cdp.delivery.ResponseClassifier.TransportFailure;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponseClassifierTest {
    // Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example date
    private static final long NOW_MS = Instant.parse("1994-11-06T08:49:07Z").toEpochMilli();

    private static Verdict status(int status) {
        return ResponseClassifier.ofStatus(status, null, NOW_MS);
    }

    @Test
    void shouldCountEvery2xxAsDelivered() {
        for (int s : new int[] {200, 201, 202, 204, 299}) {
            assertEquals(new Verdict.Delivered(s), status(s));
        }
        assertFalse(status(200).destinationFailed());
        assertEquals(DeliveryAttempt.Outcome.DELIVERED, status(204).outcome());
    }

    @Test
    void shouldRetry5xxOtherThanTheThrottlingOnes() {
        for (int s : new int[] {500, 501, 505, 507, 599}) {
            Verdict v = status(s);
            assertInstanceOf(Verdict.Retry.class, v, "status " + s);
            assertEquals(s, v.status());
            assertTrue(v.destinationFailed());
            assertEquals(DeliveryAttempt.Outcome.RETRY, v.outcome());
        }
    }

    @Test
    void shouldRetryTimeoutConflictAndTooEarly() {
        for (int s : new int[] {408, 409, 425}) {
            assertInstanceOf(Verdict.Retry.class, status(s), "status " + s);
        }
    }

    @Test
    void shouldThrottle429AndTheGatewayErrors() {
        for (int s : new int[] {429, 502, 503, 504}) {
            Verdict v = status(s);
            assertEquals(new Verdict.Throttle(s, Optional.empty(), v.reason()), v);
            assertTrue(v.destinationFailed());
            assertEquals(DeliveryAttempt.Outcome.THROTTLED, v.outcome());
        }
    }

    @Test
    void shouldHonourRetryAfterInSeconds() {
        Verdict.Throttle v = (Verdict.Throttle) ResponseClassifier.ofStatus(429, "120", NOW_MS);

        assertEquals(Optional.of(Duration.ofSeconds(120)), v.retryAfter());
        assertTrue(v.reason().contains("Retry-After 120 s"), v.reason());
        assertEquals(Optional.of(Duration.ZERO), ResponseClassifier.parseRetryAfter(" 0 ", NOW_MS));
    }

    @Test
    void shouldHonourRetryAfterAsAnHttpDate() {
        Verdict.Throttle v = (Verdict.Throttle) ResponseClassifier.ofStatus(503, "Sun, 06 Nov 1994 08:49:37 GMT", NOW_MS);

        assertEquals(Optional.of(Duration.ofSeconds(30)), v.retryAfter());
        assertEquals(Optional.of(Duration.ZERO),
                ResponseClassifier.parseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", NOW_MS), "a date in the past");
    }

    @Test
    void shouldCapRetryAfterAtOneHour() {
        assertEquals(Optional.of(Duration.ofHours(1)), ResponseClassifier.parseRetryAfter("86400", NOW_MS));
        assertEquals(Optional.of(Duration.ofHours(1)), ResponseClassifier.parseRetryAfter("99999999999999999999", NOW_MS));
        assertEquals(Optional.of(Duration.ofHours(1)), ResponseClassifier.parseRetryAfter("Mon, 07 Nov 1994 08:49:37 GMT", NOW_MS));
    }

    @Test
    void shouldIgnoreAGarbageRetryAfter() {
        for (String garbage : new String[] {"", "soon", "-5", "1.5", "Sunday, 06-Nov-94 08:49:37 GMT", "12s"}) {
            Verdict.Throttle v = (Verdict.Throttle) ResponseClassifier.ofStatus(429, garbage, NOW_MS);
            assertEquals(Optional.empty(), v.retryAfter(), "'" + garbage + "'");
        }
    }

    @Test
    void shouldTreat410AsGone() {
        Verdict v = status(410);

        assertEquals(new Verdict.Gone(410, v.reason()), v);
        assertTrue(v.destinationFailed());
        assertEquals(DeliveryAttempt.Outcome.DEAD_LETTERED, v.outcome());
    }

    @Test
    void shouldRejectOther4xxForGoodWithoutBlamingTheDestination() {
        for (int s : new int[] {400, 401, 403, 404, 405, 413, 415, 422, 451, 499}) {
            Verdict v = status(s);
            assertInstanceOf(Verdict.Permanent.class, v, "status " + s);
            assertEquals(ErrorClass.REJECTED, ((Verdict.Permanent) v).errorClass());
            assertFalse(v.destinationFailed(), "status " + s);
            assertEquals(DeliveryAttempt.Outcome.DEAD_LETTERED, v.outcome());
        }
    }

    @Test
    void shouldNotFollowRedirectsNorAccept1xx() {
        for (int s : new int[] {100, 101, 301, 302, 303, 307, 308}) {
            Verdict v = status(s);
            assertEquals(new Verdict.Permanent(s, ErrorClass.REJECTED, v.reason()), v);
        }
        assertTrue(status(302).reason().contains("redirects are not followed"), status(302).reason());
    }

    @Test
    void shouldRetryTimeoutsAndConnectionFailures() {
        Verdict timeout = ResponseClassifier.ofFailure(TransportFailure.TIMEOUT, "no answer within 15 s");
        Verdict refused = ResponseClassifier.ofFailure(TransportFailure.CONNECT_FAILED, "connection refused");

        assertEquals(new Verdict.Retry(0, "timed out: no answer within 15 s"), timeout);
        assertEquals(new Verdict.Retry(0, "connection failed: connection refused"), refused);
        assertEquals(new Verdict.Retry(0, "timed out"), ResponseClassifier.ofFailure(TransportFailure.TIMEOUT, null));
    }

    @Test
    void shouldDeadLetterABlockedAddressAndBlameTheDestination() {
        Verdict v = ResponseClassifier.ofFailure(TransportFailure.BLOCKED_ADDRESS, "hooks.example resolved to 10.0.0.5");

        assertEquals(new Verdict.Permanent(0, ErrorClass.BLOCKED_ADDRESS, "blocked address: hooks.example resolved to 10.0.0.5"), v);
        assertTrue(v.destinationFailed());
    }

    @Test
    void shouldRetryAnUnknownStatus() {
        assertInstanceOf(Verdict.Retry.class, status(600));
        assertInstanceOf(Verdict.Retry.class, status(99));
    }
}
