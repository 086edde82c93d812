package io.beacon.engine.journeys;

/**
 * The bucket in {@code [0, 100)} of a user for a journey's random splits: FNV-1a 32-bit over the UTF-16 code units of
 * {@code journey/<id>/<person>} (the hash of GrowthBook's SDKs; Fowler–Noll–Vo, IETF draft-eastlake-fnv), modulo
 * 100. Deterministic, so a user takes the same branch on every replay and on every node.
 */
final class SplitBucket {
    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 16777619;

    private SplitBucket() {
    }

    static int of(String journeyId, String personId) {
        return (int) (fnv1a32("journey/" + journeyId + "/" + personId) % 100);
    }

    static long fnv1a32(CharSequence text) {
        int h = FNV_OFFSET_BASIS;
        for (int i = 0, n = text.length(); i < n; i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return Integer.toUnsignedLong(h);
    }
}
