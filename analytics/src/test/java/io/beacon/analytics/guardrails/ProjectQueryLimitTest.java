package io.beacon.analytics.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.event.RefusedException;
import org.junit.jupiter.api.Test;

class ProjectQueryLimitTest {

    @Test
    void shouldRefuseOneQueryMoreThanTheProjectMayRunAsBusyWithARetryAfter() {
        ProjectQueryLimit limit = new ProjectQueryLimit(2);
        limit.acquire("p");
        limit.acquire("p");

        RefusedException e = assertThrows(RefusedException.class, () -> limit.acquire("p"));

        assertEquals(RefusedException.Kind.BUSY, e.kind());
        assertEquals("TOO_MANY_QUERIES", e.code());
        assertEquals("this project already runs 2 queries; retry when one finished", e.getMessage());
        assertEquals(1, e.retryAfterSeconds());
    }

    @Test
    void shouldCountEachProjectApart() {
        ProjectQueryLimit limit = new ProjectQueryLimit(1);
        limit.acquire("p");

        limit.acquire("q").close();
    }

    @Test
    void shouldAdmitAgainOnceAPermitIsClosed() {
        ProjectQueryLimit limit = new ProjectQueryLimit(1);
        ProjectQueryLimit.Permit permit = limit.acquire("p");
        permit.close();

        limit.acquire("p").close();
    }
}
