package io.beacon.engine.state;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoublePredicate;

/**
 * A sparse, sorted ring of time buckets of one size: only buckets that hold something are stored,
 * and buckets that fell out of the longest window using this size are dropped, so memory is bounded
 * by {@code keep} (plus at most {@code keep} buckets dated in the future). Not thread-safe.
 */
final class Buckets {
    private static final long[] NO_KEYS = new long[0];
    private static final double[] NO_VALUES = new double[0];

    final long sizeMs;
    final int keep;
    long[] keys = NO_KEYS;
    double[] values = NO_VALUES;
    int length;

    Buckets(long sizeMs, int keep) {
        this.sizeMs = sizeMs;
        this.keep = keep;
    }

    /**
     * Adds {@code amount} to the bucket of {@code eventMs}, unless that bucket is already older than
     * {@code keep} buckets before {@code clockMs} (then it can never be inside a window again).
     */
    void add(long eventMs, double amount, long clockMs) {
        long floor = WindowSpec.bucket(clockMs, sizeMs) - (keep - 1);
        prune(floor);
        long key = WindowSpec.bucket(eventMs, sizeMs);
        if (key < floor) {
            return;
        }
        int i = Arrays.binarySearch(keys, 0, length, key);
        if (i >= 0) {
            values[i] += amount;
            return;
        }
        int at = -i - 1;
        if (length == keys.length) {
            if (length >= keep * 2) {
                // only reachable when buckets dated in the future fill the ring: stay bounded by dropping the oldest
                if (at == 0) {
                    return;
                }
                System.arraycopy(keys, 1, keys, 0, length - 1);
                System.arraycopy(values, 1, values, 0, length - 1);
                length--;
                at--;
            } else {
                int cap = Math.min(keep * 2, Math.max(2, length * 2));
                keys = Arrays.copyOf(keys, cap);
                values = Arrays.copyOf(values, cap);
            }
        }
        System.arraycopy(keys, at, keys, at + 1, length - at);
        System.arraycopy(values, at, values, at + 1, length - at);
        keys[at] = key;
        values[at] = amount;
        length++;
    }

    /** Drops buckets before {@code floorKey}. */
    void prune(long floorKey) {
        int drop = 0;
        while (drop < length && keys[drop] < floorKey) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(keys, drop, keys, 0, length - drop);
            System.arraycopy(values, drop, values, 0, length - drop);
            length -= drop;
        }
    }

    /** The sum of the buckets at or after {@code minKey}. */
    double sumFrom(long minKey) {
        double s = 0;
        for (int i = firstAtOrAfter(minKey); i < length; i++) {
            s += values[i];
        }
        return s;
    }

    /** The sum of the buckets with keys in {@code [fromKey, toKey]}. */
    double sumRange(long fromKey, long toKey) {
        double s = 0;
        for (int i = firstAtOrAfter(fromKey); i < length && keys[i] <= toKey; i++) {
            s += values[i];
        }
        return s;
    }

    /** How many buckets with keys in {@code [fromKey, toKey]} hold a non-zero amount. */
    int nonEmptyIn(long fromKey, long toKey) {
        int n = 0;
        for (int i = firstAtOrAfter(fromKey); i < length && keys[i] <= toKey; i++) {
            if (values[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Adds every bucket of {@code other} (of the same size) to this ring, keeping at most {@code 2 * keep} buckets
     * (the newest). Used only when decoding an old format, to rebuild a series from others.
     */
    void addAll(Buckets other) {
        Map<Long, Double> merged = new TreeMap<>();
        for (int i = 0; i < length; i++) {
            merged.merge(keys[i], values[i], Double::sum);
        }
        for (int i = 0; i < other.length; i++) {
            merged.merge(other.keys[i], other.values[i], Double::sum);
        }
        int n = Math.min(merged.size(), keep * 2);
        int skip = merged.size() - n;
        long[] k = new long[Math.max(n, 2)];
        double[] v = new double[k.length];
        int i = 0;
        for (Map.Entry<Long, Double> e : merged.entrySet()) {
            if (skip > 0) {
                skip--;
                continue;
            }
            k[i] = e.getKey();
            v[i++] = e.getValue();
        }
        load(k, v, n);
    }

    /**
     * The first instant after which a window of {@code n} buckets, evaluated at {@code nowMs},
     * changes {@code holds(sum)} as its buckets expire, or {@link Long#MAX_VALUE} when it never does
     * without new data.
     */
    long firstChange(int n, long nowMs, DoublePredicate holds) {
        long minKey = WindowSpec.bucket(nowMs, sizeMs) - (n - 1);
        int from = firstAtOrAfter(minKey);
        double sum = 0;
        for (int i = from; i < length; i++) {
            sum += values[i];
        }
        boolean now = holds.test(sum);
        for (int i = from; i < length; i++) {
            sum -= values[i];
            // buckets are distinct, so each expiry time is distinct and later than the one before
            if (holds.test(sum) != now) {
                return (keys[i] + n) * sizeMs;
            }
        }
        return Long.MAX_VALUE;
    }

    private int firstAtOrAfter(long minKey) {
        int i = Arrays.binarySearch(keys, 0, length, minKey);
        return i >= 0 ? i : -i - 1;
    }

    /** Replaces the content (decoding). */
    void load(long[] newKeys, double[] newValues, int newLength) {
        keys = newKeys;
        values = newValues;
        length = newLength;
    }
}
