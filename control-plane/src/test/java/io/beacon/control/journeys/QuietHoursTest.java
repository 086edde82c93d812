package io.beacon.control.journeys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    @Test
    void shouldWrapMidnightWhenTheEndIsBeforeTheStart() {
        QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), QuietHours.Action.DELAY);

        assertTrue(night.contains(LocalTime.of(22, 0)));
        assertTrue(night.contains(LocalTime.of(3, 30)));
        assertTrue(night.contains(LocalTime.of(7, 59)));
        assertFalse(night.contains(LocalTime.of(8, 0)));
        assertFalse(night.contains(LocalTime.of(12, 0)));
        assertFalse(night.contains(LocalTime.of(21, 59)));
    }

    @Test
    void shouldKeepASameDayWindowBetweenStartAndEnd() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 30), QuietHours.Action.SKIP);

        assertTrue(lunch.contains(LocalTime.of(12, 0)));
        assertTrue(lunch.contains(LocalTime.of(13, 29)));
        assertFalse(lunch.contains(LocalTime.of(13, 30)));
        assertFalse(lunch.contains(LocalTime.of(11, 59)));
    }
}
