package io.beacon.ml.score;

/**
 * Which users a challenger model scores besides the champion: a deterministic share by hashing, so a user stays
 * on the same side across events, restarts and nodes. The hash is GrowthBook's version-2 construction
 * (FNV-1a 32-bit over UTF-16 code units, {@code (fnv(String(fnv(seed + id))) % 10000) / 10000}), as abtest's
 * {@code GrowthBookHash} computes it; written out here because ml-models must not depend on abtest. The seed is
 * {@code "beacon-ml-challenger:" + projectId}, so the split is independent of every experiment's.
 */
public final class ChampionChallenger {
    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 16777619;
    static final String SEED_PREFIX = "beacon-ml-challenger:";

    private ChampionChallenger() {
    }

    /** Whether the challenger scores {@code personId} of {@code projectId} at {@code share} in [0, 1]. */
    public static boolean challengerScores(String projectId, String personId, double share) {
        if (share <= 0) {
            return false;
        }
        return bucket(SEED_PREFIX + projectId, personId) < share;
    }

    /** The bucket value in [0, 1) of {@code id} under {@code seed} (GrowthBook hash version 2). */
    static double bucket(String seed, String id) {
        long inner = fnv1a32(seed, id);
        return (fnv1a32(Long.toString(inner), "") % 10000) / 10000.0;
    }

    static long fnv1a32(CharSequence a, CharSequence b) {
        int h = FNV_OFFSET_BASIS;
        for (int i = 0, n = a.length(); i < n; i++) {
            h ^= a.charAt(i);
            h *= FNV_PRIME;
        }
        for (int i = 0, n = b.length(); i < n; i++) {
            h ^= b.charAt(i);
            h *= FNV_PRIME;
        }
        return Integer.toUnsignedLong(h);
    }
}
