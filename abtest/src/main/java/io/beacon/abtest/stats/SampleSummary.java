package io.beacon.abtest.stats;

/**
 * The sufficient statistics of one variation's per-unit metric values: count, mean and variance
 * (as {@link UnitValues} estimates it: Bernoulli {@code p (1 − p)} for 0/1 values, else the sample
 * variance with denominator {@code n − 1}).
 */
public record SampleSummary(long n, double mean, double variance) {
    public SampleSummary {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
    }

    /** From {@code n}, {@code Σx} and {@code Σx²}, as a warehouse query returns them. */
    public static SampleSummary fromSums(UnitValues values, long n, double sum, double sumOfSquares) {
        if (n == 0) {
            return new SampleSummary(0, 0, 0);
        }
        return new SampleSummary(n, sum / n, values.variance(n, sum, sumOfSquares));
    }

    /** Numeric values ({@link UnitValues#NUMERIC}) from {@code n}, {@code Σx} and {@code Σx²}. */
    public static SampleSummary fromSums(long n, double sum, double sumOfSquares) {
        return fromSums(UnitValues.NUMERIC, n, sum, sumOfSquares);
    }

    /** A 0/1 metric ({@link UnitValues#BINARY}): {@code conversions} of {@code n} units converted. */
    public static SampleSummary fromConversions(long n, long conversions) {
        return fromSums(UnitValues.BINARY, n, conversions, conversions);
    }

    /** The variance of the mean, {@code variance / n}. */
    public double varianceOfMean() {
        return n == 0 ? Double.NaN : variance / n;
    }
}
