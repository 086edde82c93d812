package io.beacon.warehouse;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (no fixed sleeps in tests). */
public final class Eventually {

    private Eventually() {
    }

    /**
     * Evaluates {@code value} every 50 ms until it equals {@code expected}; fails with the last value
     * after {@code timeout}.
     */
    public static <T> void assertEventually(Duration timeout, T expected, Supplier<T> value, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                lastError = null;
                if (expected.equals(last)) {
                    return;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        fail(what + ": expected " + expected + " within " + timeout + " but was " + last
                + (lastError == null ? "" : " (last error: " + lastError + ")"));
    }
}
