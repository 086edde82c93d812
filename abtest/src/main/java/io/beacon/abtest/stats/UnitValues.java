package io.beacon.abtest.stats;

/**
 * What one unit's metric value can be, which decides how its variance is estimated — the split of
 * GrowthBook's gbstats between {@code ProportionStatistic} and {@code SampleMeanStatistic}.
 */
public enum UnitValues {
    /** 0 or 1 (converted or not): the Bernoulli variance {@code p (1 − p)}, covariances with denominator {@code n}. */
    BINARY {
        @Override
        double variance(long n, double sum, double sumOfSquares) {
            double p = sum / n;
            return Math.max(0, p * (1 - p));
        }

        @Override
        double covariance(long n, double sumX, double sumY, double sumXY) {
            return sumXY / n - sumX * sumY / ((double) n * n);
        }
    },
    /** Any number (counts, sums, revenue): the sample variance and covariance with denominator {@code n − 1}. */
    NUMERIC {
        @Override
        double variance(long n, double sum, double sumOfSquares) {
            return n < 2 ? 0 : Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
        }

        @Override
        double covariance(long n, double sumX, double sumY, double sumXY) {
            return n < 2 ? 0 : (sumXY - sumX * sumY / n) / (n - 1);
        }
    };

    /** The variance of the values from {@code n > 0}, {@code Σx} and {@code Σx²}. */
    abstract double variance(long n, double sum, double sumOfSquares);

    /** The covariance of two values of each unit from {@code n > 0}, {@code Σx}, {@code Σy} and {@code Σxy}. */
    abstract double covariance(long n, double sumX, double sumY, double sumXY);
}
