package io.beacon.abtest.stats;

/**
 * The sufficient statistics of one variation's per-unit metric values: count, mean and sample variance
 * (denominator {@code n - 1}).
 */
public record SampleSummary(long n, double mean, double variance) {
    public SampleSummary {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
    }

    /** From {@code n}, {@code Σx} and {@code Σx²}, as a warehouse query returns them. */
    public static SampleSummary fromSums(long n, double sum, double sumOfSquares) {
        if (n == 0) {
            return new SampleSummary(0, 0, 0);
        }
        double mean = sum / n;
        double variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
        return new SampleSummary(n, mean, variance);
    }

    /** A 0/1 metric: {@code conversions} of {@code n} units converted ({@code Σx = Σx² = conversions}). */
    public static SampleSummary fromConversions(long n, long conversions) {
        return fromSums(n, conversions, conversions);
    }

    /** The variance of the mean, {@code variance / n}. */
    public double varianceOfMean() {
        return n == 0 ? Double.NaN : variance / n;
    }
}
