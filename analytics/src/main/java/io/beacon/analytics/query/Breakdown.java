package io.beacon.analytics.query;

import java.util.Comparator;

/**
 * Group by a property's value: the {@code limit} most frequent values, every other value as {@value #OTHER}. The
 * property is an event column, an event property or a person property (the resolved person's current value).
 */
public record Breakdown(PropertyRef property, int limit) {
    public static final String OTHER = "$other";

    /**
     * The order of breakdown values wherever Java orders them: UTF-8 byte order, which is Unicode code point order
     * and ClickHouse's order of {@code String}s (so it agrees with the SQL that ranks the top values). Not
     * {@link String#compareTo}: UTF-16 puts a supplementary character ({@code 😀}, U+1F600, a surrogate pair) before
     * U+E000…U+FFFF ({@code ！}, U+FF01), UTF-8 after them.
     */
    public static final Comparator<String> VALUE_ORDER = Breakdown::compareCodePoints;

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
