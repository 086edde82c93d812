package io.beacon.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.Window;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private static final long HOUR = WindowSpec.HOUR_MS;

    @Test
    void shouldKeepOutOfOrderBucketsSortedAndSummed() {
        Buckets b = new Buckets(HOUR, 168);
        long now = 1_000 * HOUR;
        long[] hoursAgo = {5, 1, 5, 100, 0, 167, 3, 1};
        for (long h : hoursAgo) {
            b.add(now - h * HOUR, 1, now);
        }
        assertEquals(6, b.length);
        for (int i = 1; i < b.length; i++) {
            assertTrue(b.keys[i - 1] < b.keys[i]);
        }
        assertEquals(8, b.sumFrom(WindowSpec.oldestBucket(Window.D7, now)));
        assertEquals(6, b.sumFrom(WindowSpec.oldestBucket(Window.H24, now)), "0,1,1,3,5,5 hours ago");
    }

    @Test
    void shouldDropWhatFellOutOfTheLongestWindowAndIgnoreEventsOlderThanThat() {
        Buckets b = new Buckets(HOUR, 168);
        long now = 1_000 * HOUR;
        b.add(now - 100 * HOUR, 1, now);
        b.add(now - 200 * HOUR, 1, now);
        assertEquals(1, b.length, "older than 168 buckets: never inside a window again");
        b.add(now, 1, now + 100 * HOUR);
        assertEquals(1, b.length, "the bucket 100 h before the old now is pruned once the clock moved 100 h");
    }

    @Test
    void shouldStayBoundedWhenFutureDatedEventsFloodTheRing() {
        Buckets b = new Buckets(HOUR, 168);
        long now = 1_000 * HOUR;
        b.add(now, 1, now);
        for (int h = 1; h <= 1_000; h++) {
            b.add(now + h * HOUR, 1, now);
        }
        assertEquals(336, b.length, "at most 2 × keep buckets");
        assertEquals(now + 1_000 * HOUR, b.keys[b.length - 1] * HOUR);
        // a bucket older than everything kept is not re-added at the front
        b.add(now, 1, now);
        assertEquals(336, b.length);
        assertTrue(b.keys[0] * HOUR > now);
    }
}
