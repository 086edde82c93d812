package io.beacon.warehouse.sink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void shouldDoubleTheDelayPerFailedAttempt() {
        assertEquals(Duration.ofMillis(200), backoff.delayAfter(1));
        assertEquals(Duration.ofMillis(400), backoff.delayAfter(2));
        assertEquals(Duration.ofMillis(800), backoff.delayAfter(3));
    }

    @Test
    void shouldNeverWaitLongerThanTheMaximum() {
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(4));
        assertEquals(Duration.ofSeconds(1), backoff.delayAfter(1_000));
    }
}
