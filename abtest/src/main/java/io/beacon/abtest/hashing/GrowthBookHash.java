package io.beacon.abtest.hashing;

import java.util.OptionalDouble;

/**
 * The hash GrowthBook SDKs use to put a unit into a bucket, reproduced bit for bit so that Beacon's
 * server-side assignment and every GrowthBook SDK evaluating the same experiment agree.
 *
 * <p>Source: GrowthBook SDK specification ("hash" and "hashFnv32a" in the JS reference SDK,
 * {@code packages/sdk-js/src/util.ts}; test vectors in {@code packages/sdk-js/test/cases.json}).
 * FNV-1a 32-bit runs over the UTF-16 code units of the string (JavaScript's {@code charCodeAt}),
 * not over UTF-8 bytes.
 * <ul>
 *   <li>version 1: {@code (fnv(value + seed) % 1000) / 1000}</li>
 *   <li>version 2: {@code (fnv(String(fnv(seed + value))) % 10000) / 10000}</li>
 *   <li>any other version: no value (the unit is not in the experiment)</li>
 * </ul>
 * Pure and allocation-light; safe from any thread.
 */
public final class GrowthBookHash {
    private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 16777619;

    private GrowthBookHash() {
    }

    /** FNV-1a 32-bit over the UTF-16 code units of {@code text}, as an unsigned value. */
    public static long fnv1a32(CharSequence text) {
        int h = FNV_OFFSET_BASIS;
        for (int i = 0, n = text.length(); i < n; i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return Integer.toUnsignedLong(h);
    }

    /** FNV-1a over {@code a} followed by {@code b}, without concatenating them. */
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

    /**
     * The bucket value in {@code [0, 1)} of {@code value} under {@code seed}, or empty for an unknown
     * hash version.
     */
    public static OptionalDouble hash(String seed, String value, int version) {
        double n = hashOrNaN(seed, value, version);
        return Double.isNaN(n) ? OptionalDouble.empty() : OptionalDouble.of(n);
    }

    /** {@link #hash} without the optional wrapper: {@link Double#NaN} for an unknown version. */
    public static double hashOrNaN(String seed, String value, int version) {
        if (version == 2) {
            long inner = fnv1a32(seed, value);
            return (fnv1a32(Long.toString(inner)) % 10000) / 10000.0;
        }
        if (version == 1) {
            return (fnv1a32(value, seed) % 1000) / 1000.0;
        }
        return Double.NaN;
    }
}
