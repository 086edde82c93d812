package io.beacon.cdp.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CdpReplayPlanTest {

    private static final long T0 = 1_780_000_000_000L;
    private static final CdpDeadLetter ADA = CdpDlqFixtures.letter("shop", "crm", "ada", "1", ErrorClass.EXHAUSTED, T0);
    private static final CdpDeadLetter BOB = CdpDlqFixtures.letter("shop", "crm", "bob", "2", ErrorClass.EXHAUSTED, T0 + 5);
    /** Ada's message again: replayed once, it failed a second time. */
    private static final CdpDeadLetter ADA_AGAIN = new CdpDeadLetter(ADA.message(), 9, ErrorClass.EXHAUSTED, "timeout", 0, T0 + 10);

    private static List<String> persons(CdpReplayPlan plan) {
        return plan.replays().stream().map(e -> e.letter().message().personId()).toList();
    }

    @Test
    void shouldReplayEverySelectedLetterAndMarkEachOnce() {
        List<CdpDlqEntry> selected = List.of(CdpDlqFixtures.entry(0, 3, ADA), CdpDlqFixtures.entry(1, 0, BOB));

        CdpReplayPlan plan = CdpReplayPlan.of(selected, Set.of(), false);

        assertEquals(List.of("ada", "bob"), persons(plan));
        assertEquals(Set.of(ADA.message().messageId() + "@" + T0, BOB.message().messageId() + "@" + (T0 + 5)), plan.markers());
        assertEquals(2, plan.selected());
        assertEquals(0, plan.alreadyReplayed());
    }

    @Test
    void shouldSkipLettersReplayedBeforeUnlessForced() {
        List<CdpDlqEntry> selected = List.of(CdpDlqFixtures.entry(0, 3, ADA), CdpDlqFixtures.entry(1, 0, BOB));
        Set<String> replayed = Set.of(selected.get(0).replayKey());

        CdpReplayPlan again = CdpReplayPlan.of(selected, replayed, false);
        CdpReplayPlan forced = CdpReplayPlan.of(selected, replayed, true);

        assertEquals(List.of("bob"), persons(again));
        assertEquals(1, again.alreadyReplayed());
        assertEquals(List.of("ada", "bob"), persons(forced));
        assertEquals(0, forced.alreadyReplayed());
    }

    @Test
    void shouldReplayALetterThatFailedAgainAfterItsReplay() {
        List<CdpDlqEntry> selected = List.of(CdpDlqFixtures.entry(0, 3, ADA), CdpDlqFixtures.entry(0, 9, ADA_AGAIN));

        CdpReplayPlan plan = CdpReplayPlan.of(selected, Set.of(selected.get(0).replayKey()), false);

        assertEquals(1, plan.replays().size());
        assertEquals(9, plan.replays().get(0).position().offset());
        assertEquals(1, plan.alreadyReplayed());
    }

    @Test
    void shouldPutAMessageOnTheOutboxOncePerCallButMarkAllItsLetters() {
        List<CdpDlqEntry> selected = List.of(CdpDlqFixtures.entry(0, 3, ADA), CdpDlqFixtures.entry(0, 9, ADA_AGAIN));

        CdpReplayPlan plan = CdpReplayPlan.of(selected, Set.of(), false);

        assertEquals(List.of("ada"), persons(plan));
        assertEquals(3, plan.replays().get(0).position().offset());
        assertEquals(1, plan.duplicates());
        assertEquals(Set.of(selected.get(0).replayKey(), selected.get(1).replayKey()), plan.markers());
    }
}
