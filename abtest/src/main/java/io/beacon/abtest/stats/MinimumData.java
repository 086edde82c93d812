package io.beacon.abtest.stats;

import java.util.Optional;

/**
 * The rule before a result may be declared: every variation has at least {@code minUnits} exposed units
 * and, for conversion-like metrics, at least {@code minConversions} converting units. Until then the
 * statistics are still computed and shown, but the verdict is "not enough data" — early results are
 * noisy and invite peeking.
 */
public record MinimumData(long minUnits, long minConversions) {
    public static final MinimumData DEFAULT = new MinimumData(100, 25);

    public MinimumData {
        if (minUnits < 2 || minConversions < 0) {
            throw new IllegalArgumentException("minUnits must be >= 2 and minConversions >= 0");
        }
    }

    /** Why the data is not enough yet, or empty when it is. */
    public Optional<String> shortfall(long units, long conversions, boolean conversionMetric) {
        if (units < minUnits) {
            return Optional.of("needs at least " + minUnits + " units per variation, has " + units);
        }
        if (conversionMetric && conversions < minConversions) {
            return Optional.of("needs at least " + minConversions + " conversions per variation, has " + conversions);
        }
        return Optional.empty();
    }
}
