package io.beacon.cdp.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.RefusedException;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdpDlqFilterTest {

    private static final long T0 = 1_780_000_000_000L;
    private static final List<CdpDeadLetter> LETTERS = List.of(
            CdpDlqFixtures.letter("shop", "crm", "ada", "1", ErrorClass.EXHAUSTED, T0),
            CdpDlqFixtures.letter("shop", "crm", "bob", "2", ErrorClass.REJECTED, T0 + 1_000),
            CdpDlqFixtures.letter("shop", "push", "ada", "3", ErrorClass.EXHAUSTED, T0 + 2_000),
            CdpDlqFixtures.letter("shop", "push", "cy", "4", ErrorClass.DESTINATION_DISABLED, T0 + 3_000),
            CdpDlqFixtures.letter("blog", "crm", "ada", "5", ErrorClass.EXHAUSTED, T0 + 1_000));

    private static List<String> persons(CdpDlqFilter filter) {
        return LETTERS.stream().filter(filter::matches)
                .map(l -> l.message().projectId() + "/" + l.message().destinationId() + "/" + l.message().personId())
                .toList();
    }

    @Test
    void shouldSelectOnlyTheLettersOfTheProject() {
        assertEquals(List.of("blog/crm/ada"), persons(CdpDlqFilter.project("blog")));
        assertEquals(5, persons(CdpDlqFilter.all()).size());
    }

    @Test
    void shouldCombineDestinationErrorClassAndRangeWithAnd() {
        CdpDlqFilter filter = CdpDlqFilter.project("shop").withDestination("push").withErrorClass(ErrorClass.EXHAUSTED);

        assertEquals(List.of("shop/push/ada"), persons(filter));
        assertEquals(List.of("shop/crm/ada", "shop/push/ada"), persons(CdpDlqFilter.project("shop").withErrorClass(ErrorClass.EXHAUSTED)));
    }

    @Test
    void shouldIncludeBothBoundsOfTheFailedAtRange() {
        CdpDlqFilter filter = CdpDlqFilter.project("shop").withRange(T0 + 1_000, T0 + 2_000);

        assertEquals(List.of("shop/crm/bob", "shop/push/ada"), persons(filter));
        assertEquals(List.of("shop/push/cy"), persons(CdpDlqFilter.project("shop").withRange(T0 + 2_001, null)));
        assertEquals(List.of("shop/crm/ada"), persons(CdpDlqFilter.project("shop").withRange(null, T0 + 999)));
    }

    @Test
    void shouldRefuseARangeWhoseFromIsAfterToNamingFrom() {
        RefusedException e = assertThrows(RefusedException.class, () -> CdpDlqFilter.project("shop").withRange(T0 + 1, T0));

        assertEquals("INVALID_RANGE", e.code());
        assertEquals("from", e.field());
        assertEquals(RefusedException.Kind.INVALID, e.kind());
    }

    @Test
    void shouldClearACriterionGivenAsNull() {
        CdpDlqFilter filter = CdpDlqFilter.project("shop").withDestination("crm").withDestination(null);

        assertTrue(filter.destinationId().isEmpty());
        assertFalse(filter.errorClass().isPresent());
        assertEquals(4, persons(filter).size());
    }
}
