package io.beacon.cdp.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.cdp.ErrorClass;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CdpDlqCommandTest {

    private static CdpDlqCommand parse(String line) {
        return CdpDlqCommand.parse(line.split(" "));
    }

    private static String refusal(String line) {
        return assertThrows(IllegalArgumentException.class, () -> parse(line)).getMessage();
    }

    @Test
    void shouldParseAListingWithEveryOption() {
        CdpDlqCommand c = parse("dlq list --project shop --destination crm --from 2025-12-07T10:00:00Z --to 1765105200000"
                + " --error-class exhausted --limit 50 --cursor " + new CdpDlqCursor(1, 7).encode());

        assertFalse(c.replay());
        assertEquals(new CdpDlqFilter(Optional.of("shop"), Optional.of("crm"), OptionalLong.of(1_765_101_600_000L),
                OptionalLong.of(1_765_105_200_000L), Optional.of(ErrorClass.EXHAUSTED)), c.filter());
        assertEquals(50, c.limit());
        assertEquals(new CdpDlqCursor(1, 7), c.cursor());
    }

    @Test
    void shouldListEveryProjectAndDestinationByDefault() {
        CdpDlqCommand c = parse("dlq list");

        assertEquals(CdpDlqFilter.all(), c.filter());
        assertEquals(CdpDlqParams.DEFAULT_LIMIT, c.limit());
        assertNull(c.cursor());
    }

    @Test
    void shouldParseAReplayOfAllDestinationsWithItsFlags() {
        CdpDlqCommand c = parse("dlq replay --destination all --dry-run --error-class rejected --force");

        assertTrue(c.replay() && c.dryRun() && c.force());
        assertEquals(CdpDlqFilter.all().withErrorClass(ErrorClass.REJECTED), c.filter());
    }

    @Test
    void shouldRefuseAReplayWithoutADestination() {
        assertTrue(refusal("dlq replay --error-class exhausted").startsWith("--destination is required"));
    }

    @Test
    void shouldNameTheOptionOfEachMalformedValue() {
        assertTrue(refusal("dlq list --from yesterday").startsWith("--from: "));
        assertTrue(refusal("dlq list --from 5 --to 4").startsWith("--from: "));
        assertTrue(refusal("dlq list --error-class nope").startsWith("--error-class: "));
        assertTrue(refusal("dlq list --limit 0").startsWith("--limit: "));
        assertTrue(refusal("dlq list --cursor x").startsWith("--cursor: "));
    }

    @Test
    void shouldRefuseUnknownOptionsFlagsOfTheOtherCommandAndRepeatedOptions() {
        assertTrue(refusal("dlq replay --destination crm --limit 5").startsWith("unknown option(s) [limit]"));
        assertTrue(refusal("dlq list --dry-run").startsWith("unexpected '--dry-run'"));
        assertTrue(refusal("dlq list --from 1 --from 2").startsWith("unexpected '--from'"));
        assertTrue(refusal("dlq purge").startsWith("usage: "));
    }
}
