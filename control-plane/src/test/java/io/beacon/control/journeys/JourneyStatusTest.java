package io.beacon.control.journeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JourneyStatusTest {

    private static Set<JourneyStatus> movesFrom(JourneyStatus from) {
        Set<JourneyStatus> out = EnumSet.noneOf(JourneyStatus.class);
        for (JourneyStatus to : JourneyStatus.values()) {
            if (from.canMoveTo(to)) {
                out.add(to);
            }
        }
        return out;
    }

    @Test
    void shouldMoveADraftOnlyToLiveOrArchived() {
        assertEquals(EnumSet.of(JourneyStatus.LIVE, JourneyStatus.ARCHIVED), movesFrom(JourneyStatus.DRAFT));
    }

    @Test
    void shouldMoveALiveJourneyOnlyToPausedOrArchived() {
        assertEquals(EnumSet.of(JourneyStatus.PAUSED, JourneyStatus.ARCHIVED), movesFrom(JourneyStatus.LIVE));
    }

    @Test
    void shouldMoveAPausedJourneyOnlyBackToLiveOrToArchived() {
        assertEquals(EnumSet.of(JourneyStatus.LIVE, JourneyStatus.ARCHIVED), movesFrom(JourneyStatus.PAUSED));
    }

    @Test
    void shouldNeverLeaveArchived() {
        assertTrue(movesFrom(JourneyStatus.ARCHIVED).isEmpty());
    }

    @Test
    void shouldReadAndWriteTheLowercaseWireNames() {
        for (JourneyStatus s : JourneyStatus.values()) {
            assertEquals(Optional.of(s), JourneyStatus.fromWire(s.wireName()));
        }
        assertEquals("paused", JourneyStatus.PAUSED.wireName());
        assertEquals(Optional.empty(), JourneyStatus.fromWire("LIVE"));
    }
}
