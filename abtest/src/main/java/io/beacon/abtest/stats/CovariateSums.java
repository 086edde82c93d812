package io.beacon.abtest.stats;

/**
 * Per-variation sums of a metric {@code y} (measured after exposure) and its pre-exposure covariate
 * {@code x}, as the warehouse query returns them: the input of {@link Cuped}.
 */
public record CovariateSums(long n, double sumY, double sumYSquares, double sumX, double sumXSquares, double sumXY) {

    public SampleSummary y() {
        return SampleSummary.fromSums(n, sumY, sumYSquares);
    }

    public SampleSummary x() {
        return SampleSummary.fromSums(n, sumX, sumXSquares);
    }

    /** Sample covariance of {@code x} and {@code y} (denominator {@code n − 1}). */
    public double covariance() {
        return n < 2 ? 0 : (sumXY - sumX * sumY / n) / (n - 1);
    }
}
