package io.beacon.control.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.DeadLetter;
import io.beacon.event.RawEnvelope;
import io.beacon.event.RejectionCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {

    private static final String RAW = "x.beacon.events.raw";
    private static final String VALID = "x.beacon.events.valid";

    @Test
    void shouldKeyAReplayedEnvelopeByProjectAndDistinctId() {
        RawEnvelope envelope = DeadLetterFixtures.track("shop", "e1", "user-7", "abc");

        assertEquals("shop:user-7", ReplayPlan.keyFor(DeadLetterFixtures.refused(envelope, RejectionCode.TYPE_MISMATCH, "validate", RAW, 1)));
    }

    @Test
    void shouldKeyAnEnvelopeTheMapperRefusesByItsEventId() {
        RawEnvelope envelope = DeadLetterFixtures.anonymousless("shop", "e2");

        assertEquals("e2", ReplayPlan.keyFor(DeadLetterFixtures.refused(envelope, RejectionCode.MISSING_USER_ID, "map", RAW, 1)));
    }

    @Test
    void shouldKeyUndecodableBytesByTheLettersEventIdOrNothing() {
        assertNull(ReplayPlan.keyFor(DeadLetterFixtures.garbage("shop", RAW, "{oops".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void shouldReplayOnlyStagesThatReadRawEnvelopes() {
        RawEnvelope envelope = DeadLetterFixtures.track("shop", "e1", "u", 1);
        for (String stage : List.of("parse", "map", "validate")) {
            assertTrue(ReplayPlan.isReplayable(DeadLetterFixtures.refused(envelope, RejectionCode.TYPE_MISMATCH, stage, "elsewhere", 1), RAW), stage);
        }
        assertTrue(ReplayPlan.isReplayable(DeadLetterFixtures.refused(envelope, RejectionCode.UNPARSEABLE_RECORD, "processing:dedup", RAW, 1), RAW));
        assertFalse(ReplayPlan.isReplayable(DeadLetterFixtures.sinkLetter("shop", "e1", VALID), RAW));
        assertFalse(ReplayPlan.isReplayable(DeadLetterFixtures.refused(envelope, RejectionCode.UNPARSEABLE_RECORD, "sink", RAW, 1), RAW));
    }

    @Test
    void shouldSkipSinkLettersEmptyOriginalsAndSecondCopiesWithReasons() {
        RawEnvelope envelope = DeadLetterFixtures.track("shop", "e1", "u", "abc");
        DeadLetter first = DeadLetterFixtures.refused(envelope, RejectionCode.TYPE_MISMATCH, "validate", RAW, 1);
        DeadLetter again = DeadLetterFixtures.refused(envelope, RejectionCode.TYPE_MISMATCH, "validate", RAW, 9);
        DeadLetter sink = DeadLetterFixtures.sinkLetter("shop", "e5", VALID);
        DeadLetter empty = DeadLetterFixtures.garbage("shop", RAW, new byte[0]);
        List<DeadLetterRecord> selected = List.of(at(0, first), at(1, again), at(2, sink), at(3, empty));

        ReplayPlan plan = ReplayPlan.of(ReplaySelection.byCode("shop", RejectionCode.TYPE_MISMATCH), selected, RAW);

        assertEquals(List.of(new DeadLetterPosition(0, 0)), plan.replays().stream().map(r -> r.source().position()).toList());
        assertEquals("shop:u", plan.replays().get(0).key());
        assertEquals(List.of(ReplayResult.DUPLICATE_EVENT, ReplayResult.NOT_REPLAYABLE_STAGE, ReplayResult.NO_ORIGINAL),
                plan.skipped().stream().map(ReplayResult.Skipped::reason).toList());
    }

    @Test
    void shouldReportRequestedIdsAndOffsetsThatAreNotThere() {
        ReplaySelection selection = new ReplaySelection(Optional.of("shop"), Optional.empty(), Set.of("missing"),
                Set.of(new DeadLetterPosition(0, 42)));

        ReplayPlan plan = ReplayPlan.of(selection, List.of(), RAW);

        assertEquals(2, plan.skipped().size());
        assertTrue(plan.skipped().stream().allMatch(s -> s.reason().equals(ReplayResult.NOT_FOUND)));
    }

    @Test
    void shouldRefuseAnEmptySelection() {
        assertThrows(IllegalArgumentException.class,
                () -> new ReplaySelection(Optional.of("shop"), Optional.empty(), Set.of(), Set.of()));
    }

    private static DeadLetterRecord at(long offset, DeadLetter letter) {
        return new DeadLetterRecord(new DeadLetterPosition(0, offset), letter);
    }
}
