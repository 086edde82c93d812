package io.beacon.streams.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampRuleTest {
    private static final long R = 1_772_442_000_000L;
    private static final TimestampSettings SETTINGS = TimestampSettings.defaults();

    private static Event event(long eventTime, Long clientTime, long receivedAt) {
        return new Event("e", "p", EventType.TRACK, "x", null, "d", null, eventTime, receivedAt, clientTime, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, List.of(), null);
    }

    @Test
    void shouldKeepTheDevicesClockOrderWhenTransitTimesReverseTheCorrectedTimes() {
        // Given the previous event: client 10:00:00.000, corrected 10:00:03.000 (3 s transit folded in)
        TimestampRule.DeviceClock previous = new TimestampRule.DeviceClock(R, R + 3_000);
        // When the next one (client +1 s) had a fast request and is corrected to before it
        TimestampRule.Result result = TimestampRule.apply(event(R + 1_200, R + 1_000, R + 2_000), previous, SETTINGS);

        assertEquals(R + 4_000, result.event().eventTime(), "previous + the client's own interval");
        assertTrue(result.event().warnings().contains(TimestampRule.ORDER_BOUNDED));
        assertEquals(new TimestampRule.DeviceClock(R + 1_000, R + 4_000), result.clock());
    }

    @Test
    void shouldNotShiftBeyondTheMaximumCorrection() {
        TimestampRule.DeviceClock previous = new TimestampRule.DeviceClock(R, R + Duration.ofHours(1).toMillis());
        Event next = event(R + 1_000, R + 1_000, R + 2_000);

        assertEquals(R + 1_000, TimestampRule.apply(next, previous, SETTINGS).event().eventTime(), "a changed device clock: skew rule stands");
    }

    @Test
    void shouldClampEventsMoreThan23HoursInTheFutureAndFlagTooOldOnes() {
        Event future = TimestampRule.apply(event(R + Duration.ofHours(24).toMillis(), null, R), null, SETTINGS).event();
        Event old = TimestampRule.apply(event(R - Duration.ofDays(31).toMillis(), null, R), null, SETTINGS).event();
        Event fine = TimestampRule.apply(event(R + Duration.ofHours(22).toMillis(), null, R), null, SETTINGS).event();

        assertEquals(R, future.eventTime());
        assertEquals(List.of(TimestampRule.FUTURE_CLAMPED), future.warnings());
        assertEquals(R - Duration.ofDays(31).toMillis(), old.eventTime());
        assertEquals(List.of(TimestampRule.TOO_OLD), old.warnings());
        assertEquals(List.of(), fine.warnings());
    }
}
