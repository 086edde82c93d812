package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DqCommandTest {

    @Test
    void shouldParseTheHourTheProjectAndTheNode() {
        DqCommand c = DqCommand.parse(new String[] {"reconcile", "--hour", "2026-12-08T10:00:00Z", "--project", "shop", "--url",
                "http://127.0.0.1:8080/"});
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), c.windowStart());
        assertEquals("shop", c.project());
        assertEquals("http://127.0.0.1:8080/api/v1/dq/reconcile", c.uri(c.url()).toString());
        assertEquals("{\"window\":\"2026-12-08T10:00:00Z\"}", c.body());
    }

    @Test
    void shouldNameTheOptionAtFault() {
        assertEquals("--hour is required; " + DqCommand.USAGE,
                assertThrows(IllegalArgumentException.class, () -> DqCommand.parse(new String[] {"reconcile"})).getMessage());
        assertEquals("--hour must be an instant such as 2026-12-08T10:00:00Z, not 'yesterday'", assertThrows(IllegalArgumentException.class,
                () -> DqCommand.parse(new String[] {"reconcile", "--hour", "yesterday"})).getMessage());
        assertEquals("unknown option(s) [hours]; " + DqCommand.USAGE, assertThrows(IllegalArgumentException.class,
                () -> DqCommand.parse(new String[] {"reconcile", "--hour", "2026-12-08T10:00:00Z", "--hours", "2"})).getMessage());
        assertEquals(DqCommand.USAGE, assertThrows(IllegalArgumentException.class, () -> DqCommand.parse(new String[] {"check"})).getMessage());
    }
}
