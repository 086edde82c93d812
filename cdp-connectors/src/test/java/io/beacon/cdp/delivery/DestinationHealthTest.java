package io.beacon.cdp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.cdp.delivery.DestinationHealth.Status;
import io.beacon.cdp.delivery.DestinationHealth.StatusChange;
import io.beacon.event.cdp.ErrorClass;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DestinationHealthTest {
    private static final Verdict FAIL = new Verdict.Retry(500, "500 from the receiver: retried");
    private static final Verdict OK = new Verdict.Delivered(200);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private static DestinationHealth health() {
        return new DestinationHealth(new CircuitBreaker(5, Duration.ofSeconds(30), Duration.ofMinutes(10)), Duration.ofDays(5));
    }

    @Test
    void shouldStayHealthyAndSilentBelowTheBreakerThreshold() {
        DestinationHealth h = health();

        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), h.record(FAIL, 1_000 + i));
        }
        assertEquals(Optional.empty(), h.record(OK, 2_000));
        assertEquals(Status.HEALTHY, h.status());
    }

    @Test
    void shouldAnnounceDegradedWhenTheBreakerOpens() {
        DestinationHealth h = health();
        for (int i = 0; i < 4; i++) {
            h.record(FAIL, 1_000);
        }

        Optional<StatusChange> change = h.record(FAIL, 1_500);

        assertEquals(Status.HEALTHY, change.orElseThrow().from());
        assertEquals(Status.DEGRADED, change.get().to());
        assertEquals(1_500, change.get().atMs());
        assertTrue(change.get().reason().startsWith("circuit opened after 5 consecutive failures"), change.get().reason());
        assertEquals(CircuitBreaker.State.OPEN, h.breaker().state());
        assertEquals(Optional.empty(), h.record(FAIL, 1_600), "announced once");
    }

    @Test
    void shouldAnnounceRecoveredOnTheFirstSuccessAfterDegrading() {
        DestinationHealth h = health();
        for (int i = 0; i < 5; i++) {
            h.record(FAIL, 1_000);
        }
        assertTrue(h.breaker().allowRequest(31_000));

        StatusChange change = h.record(OK, 31_100).orElseThrow();

        assertEquals(new StatusChange(Status.DEGRADED, Status.HEALTHY, "recovered: delivered (200)", 31_100), change);
        assertEquals(CircuitBreaker.State.CLOSED, h.breaker().state());
        assertEquals(Optional.empty(), h.record(OK, 31_200));
    }

    @Test
    void shouldDisableAfterFailingWithoutASuccessForFiveDays() {
        DestinationHealth h = health();
        long start = 10 * DAY_MS;
        h.record(FAIL, start);
        for (int i = 0; i < 4; i++) {
            h.record(FAIL, start + 1);
        }
        assertEquals(Status.DEGRADED, h.status());

        assertEquals(Optional.empty(), h.record(FAIL, start + 5 * DAY_MS - 1));
        StatusChange change = h.record(FAIL, start + 5 * DAY_MS).orElseThrow();

        assertEquals(Status.DEGRADED, change.from());
        assertEquals(Status.DISABLED, change.to());
        assertTrue(change.reason().startsWith("failing without a success since 1970-01-11T00:00:00Z"), change.reason());
        assertEquals(Status.DISABLED, h.status());
    }

    @Test
    void shouldCountTheFailureRunFromItsFirstFailure() {
        DestinationHealth h = health();
        h.record(FAIL, 0);
        h.record(OK, 4 * DAY_MS);
        h.record(FAIL, 4 * DAY_MS + 1);

        assertEquals(OptionalLong.of(4 * DAY_MS + 1), h.failingSinceMs());
        assertEquals(Optional.empty(), h.record(FAIL, 6 * DAY_MS));
        assertEquals(Status.HEALTHY, h.status());
    }

    @Test
    void shouldDisableAtOnceOn410Gone() {
        DestinationHealth h = health();

        StatusChange change = h.record(new Verdict.Gone(410, "410 Gone: the receiver asked for no more webhooks"), 7_000).orElseThrow();

        assertEquals(new StatusChange(Status.HEALTHY, Status.DISABLED, "410 Gone: the receiver asked for no more webhooks", 7_000), change);
    }

    @Test
    void shouldStayDisabledAndSilent() {
        DestinationHealth h = health();
        h.record(new Verdict.Gone(410, "gone"), 0);

        assertEquals(Optional.empty(), h.record(OK, 1));
        assertEquals(Optional.empty(), h.record(FAIL, 2));
        assertEquals(Status.DISABLED, h.status());
    }

    @Test
    void shouldNotBlameTheDestinationForARejectedMessage() {
        DestinationHealth h = health();

        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), h.record(new Verdict.Permanent(422, ErrorClass.REJECTED, "422"), i));
        }
        assertEquals(Status.HEALTHY, h.status());
        assertEquals(OptionalLong.empty(), h.failingSinceMs());
    }

    @Test
    void shouldDegradeOnRepeatedBlockedAddresses() {
        DestinationHealth h = health();
        Verdict blocked = new Verdict.Permanent(0, ErrorClass.BLOCKED_ADDRESS, "blocked address");
        for (int i = 0; i < 4; i++) {
            h.record(blocked, i);
        }

        assertEquals(Status.DEGRADED, h.record(blocked, 4).orElseThrow().to());
    }
}
