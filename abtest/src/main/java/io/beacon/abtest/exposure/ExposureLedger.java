package io.beacon.abtest.exposure;

/**
 * The exposures this process has had acknowledged by the {@link io.beacon.abtest.ExposureSink}, so a
 * returning unit's assignments are answered without re-sending them. Each exposure is a 128-bit
 * fingerprint of (project, experiment, distinct id, variation) in an open-addressing table of
 * {@code long}s — 32 bytes a slot, no objects, nothing for the garbage collector to trace.
 *
 * <p>Bounded: two generations of at most {@code capacity} entries each; when the current one is full it
 * becomes the previous one and the oldest generation is dropped. Forgetting is safe — a forgotten
 * exposure is sent again with the same deterministic event id, which the pipeline's dedup and the
 * {@code experiment_exposures} table collapse — it only costs traffic. A fingerprint collision would
 * make one exposure look logged; at 128 bits and a few million entries its probability is below 10⁻²⁵.
 * Thread-safe: {@link #add} takes a lock; {@link #contains} takes none (it is on every request of
 * every HTTP thread). A look-up racing an add or a generation switch can only miss an entry — the
 * exposure is then sent again, which is the harmless case above — never find one that was not added.
 */
final class ExposureLedger {
    private final int capacity;
    private final int mask;
    private volatile long[] current;
    private volatile long[] previous;
    private int size;

    /** @param capacity entries per generation (at least 1) */
    ExposureLedger(int capacity) {
        this.capacity = Math.max(1, capacity);
        int slots = Integer.highestOneBit(Math.max(2, this.capacity * 2 - 1)) << 1; // load factor ≤ 0.5
        this.mask = slots - 1;
        this.current = new long[slots * 2];
        this.previous = null;
    }

    boolean contains(long hi, long lo) {
        lo |= 1L; // (0, 0) marks an empty slot
        long[] cur = current;
        long[] prev = previous;
        return find(cur, hi, lo) || (prev != null && find(prev, hi, lo));
    }

    synchronized void add(long hi, long lo) {
        lo |= 1L;
        if (find(current, hi, lo)) {
            return;
        }
        if (size >= capacity) {
            previous = current;
            current = new long[previous.length];
            size = 0;
        }
        long[] table = current;
        int i = index(hi, lo);
        while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = hi;
        table[2 * i + 1] = lo;
        size++;
    }

    private boolean find(long[] table, long hi, long lo) {
        int i = index(hi, lo);
        while (true) {
            long h = table[2 * i];
            long l = table[2 * i + 1];
            if (h == 0 && l == 0) {
                return false;
            }
            if (h == hi && l == lo) {
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    private int index(long hi, long lo) {
        return (int) (mix(hi ^ lo) & mask);
    }

    /** The 128-bit fingerprint's two halves, from two independently seeded 64-bit hashes of the parts. */
    static long fingerprintHi(String... parts) {
        return hash(0xcbf29ce484222325L, 0x100000001b3L, parts);
    }

    static long fingerprintLo(String... parts) {
        return hash(0x84222325cbf29ce4L, 0x9E3779B97F4A7C15L, parts);
    }

    private static long hash(long h, long prime, String... parts) {
        for (String p : parts) {
            for (int i = 0; i < p.length(); i++) {
                h = (h ^ p.charAt(i)) * prime;
            }
            h = (h ^ 0xFFFF) * prime; // separator: ("ab","c") ≠ ("a","bc")
        }
        return mix(h);
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
