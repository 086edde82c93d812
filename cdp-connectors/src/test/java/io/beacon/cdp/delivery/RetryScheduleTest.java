package io.beacon.cdp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.cdp.CdpSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    private static final CdpSettings DEFAULTS = CdpSettings.fromConfig(ConfigFactory.defaultReference());
    private static final List<Duration> SVIX = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    @Test
    void shouldFollowTheSvixScheduleWithinTwentyPercentByDefault() {
        RetrySchedule schedule = new RetrySchedule(DEFAULTS);

        assertEquals(8, schedule.maxAttempts());
        for (int i = 0; i < 200; i++) {
            String id = "msg_" + i;
            for (int attempt = 1; attempt <= 8; attempt++) {
                long base = SVIX.get(attempt - 1).toMillis();
                long delay = schedule.delayBefore(attempt, id).orElseThrow().toMillis();
                assertTrue(delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2),
                        "attempt " + attempt + " of " + id + ": " + delay + " ms against " + base);
            }
        }
    }

    @Test
    void shouldTryTheFirstAttemptImmediately() {
        RetrySchedule schedule = new RetrySchedule(DEFAULTS);

        for (int i = 0; i < 50; i++) {
            assertEquals(Optional.of(Duration.ZERO), schedule.delayBefore(1, "msg_" + i));
        }
    }

    @Test
    void shouldBeExhaustedAfterTheEighthAttempt() {
        RetrySchedule schedule = new RetrySchedule(DEFAULTS);

        assertTrue(schedule.delayBefore(8, "msg_a").isPresent());
        assertEquals(Optional.empty(), schedule.delayBefore(9, "msg_a"));
        assertEquals(Optional.empty(), schedule.delayBefore(100, "msg_a"));
        assertEquals(OptionalLong.empty(), schedule.dueAtMs(9, "msg_a", 1_000));
        assertThrows(IllegalArgumentException.class, () -> schedule.delayBefore(0, "msg_a"));
    }

    @Test
    void shouldScaleEveryDelayByTheTimeScale() {
        RetrySchedule scaled = new RetrySchedule(DEFAULTS.withRetry(SVIX, 0, 0.001));

        assertEquals(Duration.ZERO, scaled.delayBefore(1, "msg_a").orElseThrow());
        assertEquals(Duration.ofMillis(5), scaled.delayBefore(2, "msg_a").orElseThrow());
        assertEquals(Duration.ofMillis(300), scaled.delayBefore(3, "msg_a").orElseThrow());
        assertEquals(Duration.ofMillis(1_800), scaled.delayBefore(4, "msg_a").orElseThrow());
        assertEquals(Duration.ofSeconds(36), scaled.delayBefore(8, "msg_a").orElseThrow());
        assertEquals(OptionalLong.of(1_300), scaled.dueAtMs(3, "msg_a", 1_000));
    }

    @Test
    void shouldApplyTheJitterAfterScaling() {
        RetrySchedule scaled = new RetrySchedule(DEFAULTS.withRetry(SVIX, 0.2, 0.001));

        for (int i = 0; i < 100; i++) {
            long ms = scaled.delayBefore(3, "msg_" + i).orElseThrow().toMillis();
            assertTrue(ms >= 240 && ms <= 360, ms + " ms");
        }
    }

    @Test
    void shouldComputeTheSameDelayAfterARestart() {
        RetrySchedule before = new RetrySchedule(DEFAULTS);
        RetrySchedule afterRestart = new RetrySchedule(CdpSettings.fromConfig(ConfigFactory.defaultReference()));

        for (int attempt = 1; attempt <= 8; attempt++) {
            assertEquals(before.delayBefore(attempt, "msg_p5jxn8aqm9lwm0d4lokwxjek"),
                    afterRestart.delayBefore(attempt, "msg_p5jxn8aqm9lwm0d4lokwxjek"));
        }
    }

    @Test
    void shouldSpreadMessagesThatFailTogether() {
        RetrySchedule schedule = new RetrySchedule(DEFAULTS);
        Set<Duration> delays = new HashSet<>();
        double sum = 0;
        for (int i = 0; i < 1_000; i++) {
            Duration d = schedule.delayBefore(3, "msg_" + i).orElseThrow();
            delays.add(d);
            sum += d.toMillis();
        }

        assertTrue(delays.size() > 900, delays.size() + " distinct delays");
        double mean = sum / 1_000;
        assertTrue(Math.abs(mean - 300_000) < 6_000, "mean " + mean + " ms");
        // attempts 7 and 8 both wait 10 h, each with its own jitter
        assertNotEquals(schedule.delayBefore(7, "msg_1"), schedule.delayBefore(8, "msg_1"));
    }

    @Test
    void shouldKeepTheExactDelaysWithoutJitter() {
        RetrySchedule schedule = new RetrySchedule(SVIX, 0, 1);

        for (int attempt = 1; attempt <= 8; attempt++) {
            assertEquals(SVIX.get(attempt - 1), schedule.delayBefore(attempt, "msg_z").orElseThrow());
        }
    }
}
