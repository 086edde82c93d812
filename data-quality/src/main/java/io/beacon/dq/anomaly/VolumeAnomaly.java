package io.beacon.dq.anomaly;

/**
 * One hour whose count left its seasonal band.
 *
 * @param hourMs         the start of the hour, epoch milliseconds UTC
 * @param observed       the count of that hour
 * @param expected       the baseline median
 * @param lower          the lower edge of the band at the sensitivity (never below 0)
 * @param upper          the upper edge of the band at the sensitivity
 * @param score          the robust z score, {@code (observed - expected) / scale}; negative for a drop
 * @param direction      a drop or a spike
 * @param historyPoints  how many previous weeks formed the baseline
 */
public record VolumeAnomaly(long hourMs, long observed, double expected, double lower, double upper, double score,
                            Direction direction, int historyPoints) {

    /** Which way the count moved. */
    public enum Direction { DROP, SPIKE }
}
