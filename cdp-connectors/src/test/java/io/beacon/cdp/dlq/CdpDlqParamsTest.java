package io.beacon.cdp.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.event.RefusedException;
import io.beacon.event.cdp.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CdpDlqParamsTest {

    private static void assertRefused(String code, String field, Executable call) {
        RefusedException e = assertThrows(RefusedException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(RefusedException.Kind.INVALID, e.kind());
    }

    @Test
    void shouldReadTimesAsEpochMillisOrIsoWithAnOffset() {
        assertEquals(1_765_101_600_000L, CdpDlqParams.time("1765101600000", "from"));
        assertEquals(1_765_101_600_000L, CdpDlqParams.time("2025-12-07T10:00:00Z", "from"));
        assertEquals(1_765_101_600_000L, CdpDlqParams.time("2025-12-07T11:00:00+01:00", "to"));
        assertEquals(1_765_101_600_250L, CdpDlqParams.time(" 2025-12-07T10:00:00.250Z ", "to"));
    }

    @Test
    void shouldRefuseATimeWithoutAnOffsetOrNotATimeNamingItsField() {
        assertRefused("INVALID_TIME", "from", () -> CdpDlqParams.time("2025-12-07T10:00:00", "from"));
        assertRefused("INVALID_TIME", "to", () -> CdpDlqParams.time("yesterday", "to"));
        assertRefused("INVALID_TIME", "to", () -> CdpDlqParams.time("-5", "to"));
        assertRefused("INVALID_TIME", "from", () -> CdpDlqParams.time("99999999999999999999", "from"));
        assertRefused("INVALID_TIME", "from", () -> CdpDlqParams.time("", "from"));
    }

    @Test
    void shouldReadErrorClassesByWireNameInAnyCase() {
        assertEquals(ErrorClass.EXHAUSTED, CdpDlqParams.errorClass("exhausted", "error_class"));
        assertEquals(ErrorClass.DESTINATION_DISABLED, CdpDlqParams.errorClass("DESTINATION_DISABLED", "error_class"));
        assertRefused("INVALID_ERROR_CLASS", "error_class", () -> CdpDlqParams.errorClass("timeout", "error_class"));
    }

    @Test
    void shouldAcceptLimitsFromOneToAThousandOnly() {
        assertEquals(1, CdpDlqParams.limit("1"));
        assertEquals(1_000, CdpDlqParams.limit("1000"));
        assertRefused("INVALID_LIMIT", "limit", () -> CdpDlqParams.limit("0"));
        assertRefused("INVALID_LIMIT", "limit", () -> CdpDlqParams.limit("1001"));
        assertRefused("INVALID_LIMIT", "limit", () -> CdpDlqParams.limit("ten"));
    }

    @Test
    void shouldRefuseABlankOrOverlongDestinationId() {
        assertEquals("crm-1", CdpDlqParams.destination("crm-1", "destination"));
        assertRefused("INVALID_DESTINATION", "destination", () -> CdpDlqParams.destination(" ", "destination"));
        assertRefused("INVALID_DESTINATION", "destination", () -> CdpDlqParams.destination("d".repeat(201), "destination"));
        assertRefused("INVALID_DESTINATION", "destination", () -> CdpDlqParams.destination("a\nb", "destination"));
    }

    @Test
    void shouldRoundTripACursorAndRefuseAForgedOne() {
        CdpDlqCursor cursor = new CdpDlqCursor(2, 417);

        assertEquals(cursor, CdpDlqCursor.decode(cursor.encode()));
        assertRefused("INVALID_CURSOR", "cursor", () -> CdpDlqCursor.decode("not-a-cursor"));
        assertRefused("INVALID_CURSOR", "cursor", () -> CdpDlqCursor.decode("djE6LTE6Mw")); // v1:-1:3
    }
}
