package io.beacon.abtest.stats;

/**
 * Per-variation sums of a metric {@code y} (measured after exposure) and its pre-exposure covariate
 * {@code x}, as the warehouse query returns them: the input of {@link Cuped}. {@code values} says what
 * both are (a conversion metric's covariate is a pre-period conversion, so 0/1 as well).
 */
public record CovariateSums(UnitValues values, long n, double sumY, double sumYSquares, double sumX, double sumXSquares,
                            double sumXY) {

    public SampleSummary y() {
        return SampleSummary.fromSums(values, n, sumY, sumYSquares);
    }

    public SampleSummary x() {
        return SampleSummary.fromSums(values, n, sumX, sumXSquares);
    }

    /** Covariance of {@code x} and {@code y}, estimated like the variances ({@link UnitValues}). */
    public double covariance() {
        return n == 0 ? 0 : values.covariance(n, sumX, sumY, sumXY);
    }
}
