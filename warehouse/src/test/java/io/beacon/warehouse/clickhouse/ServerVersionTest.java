package io.beacon.warehouse.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void shouldParseTheVersionsOfDebiansServerAndOfCurrentReleases() {
        ServerVersion old = ServerVersion.parse("18.16.1");
        ServerVersion current = ServerVersion.parse("26.7.2.1");

        assertEquals(18, old.major());
        assertEquals(16, old.minor());
        assertEquals(26, current.major());
        assertEquals(7, current.minor());
        assertEquals("26.7.2.1", current.toString());
    }

    @Test
    void shouldSupportEighteenSixteenAndLaterButNotOlderReleases() {
        assertTrue(ServerVersion.parse("18.16.1").supported());
        assertTrue(ServerVersion.parse("19.1.6").supported());
        assertTrue(ServerVersion.parse("26.7.2.1").supported());
        assertFalse(ServerVersion.parse("18.14.9").supported());
        assertFalse(ServerVersion.parse("1.1.54394").supported());
    }

    @Test
    void shouldCompareByMajorThenMinor() {
        ServerVersion v = ServerVersion.parse("23.8.1");
        assertTrue(v.atLeast(23, 8));
        assertTrue(v.atLeast(22, 12));
        assertFalse(v.atLeast(23, 9));
        assertFalse(v.atLeast(24, 1));
    }

    @Test
    void shouldRefuseTextThatIsNotAVersion() {
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("chdb"));
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse(null));
    }
}
