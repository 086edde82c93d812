package io.beacon.abtest.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The "hash" vectors of GrowthBook's SDK specification test suite (cases.json, spec 0.5.x). */
class GrowthBookHashTest {

    @ParameterizedTest(name = "seed \"{0}\" value \"{1}\" v{2} → {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|a|1|0.22",
            "``|b|1|0.077",
            "b|a|1|0.946",
            "ef|d|1|0.652",
            "asdf|8952klfjas09ujk|1|0.549",
            "``|123|1|0.011",
            "``|___)((*\":&|1|0.563",
            "seed|a|2|0.0505",
            "seed|b|2|0.2696",
            "foo|ab|2|0.2575",
            "foo|def|2|0.2019",
            "89123klj|8952klfjas09ujkasdf|2|0.124",
            "90850943850283058242805|123|2|0.7516",
            "()**(%$##$%#$#|___)((*\":&|2|0.0128"})
    void shouldReproduceTheSpecHashVectors(String seed, String value, int version, double expected) {
        assertEquals(expected, GrowthBookHash.hash(seed, value, version).orElseThrow(), 1e-12);
    }

    @Test
    void shouldGiveNoValueForAnUnknownHashVersion() {
        assertTrue(GrowthBookHash.hash("abc", "def", 99).isEmpty());
    }

    @Test
    void shouldReproduceTheBucketsOfTheSpecFeatureCases() {
        // "empty experiment rule" cases: seed = feature key, hash version 1
        assertEquals(0.863, GrowthBookHash.hash("feature", "123", 1).orElseThrow(), 1e-12);
        assertEquals(0.178, GrowthBookHash.hash("feature", "456", 1).orElseThrow(), 1e-12);
        assertEquals(0.514, GrowthBookHash.hash("feature", "fds", 1).orElseThrow(), 1e-12);
        // "creates experiments properly", "Support passthrough variations", sticky-bucket cases: v2
        assertEquals(0.5231, GrowthBookHash.hash("feature", "123", 2).orElseThrow(), 1e-12);
        assertEquals(0.4413, GrowthBookHash.hash("experiment", "1", 2).orElseThrow(), 1e-12);
        assertEquals(0.8043, GrowthBookHash.hash("holdout", "1", 2).orElseThrow(), 1e-12);
        assertEquals(0.6468, GrowthBookHash.hash("feature-exp", "d123", 2).orElseThrow(), 1e-12);
        assertEquals(0.9943, GrowthBookHash.hash("feature-exp", "i123", 2).orElseThrow(), 1e-12);
    }

    @Test
    void shouldHashUtf16CodeUnitsNotUtf8Bytes() {
        // FNV-1a 32 of "é" as the single UTF-16 unit 0x00E9: (0x811c9dc5 ^ 0xE9) * 16777619 mod 2^32
        long expected = Integer.toUnsignedLong((0x811c9dc5 ^ 0xE9) * 16777619);
        assertEquals(expected, GrowthBookHash.fnv1a32("é"));
        // a supplementary character is two code units, hashed one after the other
        long twoUnits = Integer.toUnsignedLong(((0x811c9dc5 ^ 0xD83D) * 16777619 ^ 0xDE00) * 16777619);
        assertEquals(twoUnits, GrowthBookHash.fnv1a32("\uD83D\uDE00"));
    }
}
