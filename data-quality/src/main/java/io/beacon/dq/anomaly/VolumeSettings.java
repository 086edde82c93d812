package io.beacon.dq.anomaly;

import java.util.Locale;

/**
 * How {@link VolumeDetector} judges a series.
 *
 * @param sensitivity        the threshold in robust z units: an hour is anomalous when its count lies more than this
 *                           many scales from the baseline median ({@link #LOW}, {@link #MEDIUM}, {@link #HIGH})
 * @param direction          which changes alert
 * @param baselineWeeks      how many previous weeks of the same hour of week form the baseline
 * @param minHistoryPoints   how many of those weeks must exist before an hour is judged (the warm-up)
 * @param minAbsoluteChange  the smallest difference from the median, in events, that can alert, so a near-empty
 *                           series does not alert on 1 → 4
 */
public record VolumeSettings(double sensitivity, Direction direction, int baselineWeeks, int minHistoryPoints,
                             long minAbsoluteChange) {

    /** Few alerts: only large departures. */
    public static final double LOW = 5.5;
    /**
     * The default. Measured over 100 seeded 8-week seasonal Poisson series (VolumeDetectorTest): at 4.5, no alert on
     * any clean series and precision 1.00 / recall 0.965 on ×3 spikes and ×0.2 drops; at 3.5, 22 of the 100 clean
     * series raised a false alert (672 judged hours each), at 4.0, 3 of them.
     */
    public static final double MEDIUM = 4.5;
    /** Many alerts: smaller departures too (on a clean series, about one false alert in five 4-week runs). */
    public static final double HIGH = 3.5;

    public static final int DEFAULT_BASELINE_WEEKS = 4;
    public static final int DEFAULT_MIN_HISTORY_POINTS = 3;
    public static final long DEFAULT_MIN_ABSOLUTE_CHANGE = 10;

    /** Which changes alert. */
    public enum Direction {
        DROPS, SPIKES, BOTH;

        /** Parses {@code drops}, {@code spikes} or {@code both} (any case). */
        public static Direction parse(String text) {
            String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (key) {
                case "drops" -> DROPS;
                case "spikes" -> SPIKES;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException(
                        "direction must be drops, spikes or both, not '" + text + "'");
            };
        }

        /** Whether a change of this kind alerts under this setting. */
        public boolean admits(VolumeAnomaly.Direction change) {
            return this == BOTH || (this == DROPS) == (change == VolumeAnomaly.Direction.DROP);
        }
    }

    public VolumeSettings {
        if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
            throw new IllegalArgumentException("sensitivity must be a finite number > 0, not " + sensitivity);
        }
        if (direction == null) {
            throw new IllegalArgumentException("direction is required");
        }
        if (baselineWeeks < 1) {
            throw new IllegalArgumentException("baseline weeks must be >= 1, not " + baselineWeeks);
        }
        if (minHistoryPoints < 1 || minHistoryPoints > baselineWeeks) {
            throw new IllegalArgumentException("minimum history points must be between 1 and the baseline weeks ("
                    + baselineWeeks + "), not " + minHistoryPoints);
        }
        if (minAbsoluteChange < 0) {
            throw new IllegalArgumentException("minimum absolute change must be >= 0, not " + minAbsoluteChange);
        }
    }

    /** MEDIUM sensitivity, both directions, 4 baseline weeks, 3 history points, 10 events of minimum change. */
    public static VolumeSettings defaults() {
        return new VolumeSettings(MEDIUM, Direction.BOTH, DEFAULT_BASELINE_WEEKS, DEFAULT_MIN_HISTORY_POINTS,
                DEFAULT_MIN_ABSOLUTE_CHANGE);
    }

    /** The defaults with the sensitivity {@code low}, {@code medium}, {@code high} (any case) or a number > 0. */
    public static VolumeSettings of(String sensitivity) {
        return defaults().withSensitivity(parseSensitivity(sensitivity));
    }

    /** The threshold named by {@code low}, {@code medium}, {@code high} (any case) or written as a number > 0. */
    public static double parseSensitivity(String text) {
        String key = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (key) {
            case "low":
                return LOW;
            case "medium":
                return MEDIUM;
            case "high":
                return HIGH;
            default:
                break;
        }
        double value;
        try {
            value = Double.parseDouble(key);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    "sensitivity must be low, medium, high or a number > 0, not '" + text + "'");
        }
        return value;
    }

    public VolumeSettings withSensitivity(double value) {
        return new VolumeSettings(value, direction, baselineWeeks, minHistoryPoints, minAbsoluteChange);
    }

    public VolumeSettings withDirection(Direction value) {
        return new VolumeSettings(sensitivity, value, baselineWeeks, minHistoryPoints, minAbsoluteChange);
    }

    public VolumeSettings withBaselineWeeks(int value) {
        return new VolumeSettings(sensitivity, direction, value, minHistoryPoints, minAbsoluteChange);
    }

    public VolumeSettings withMinHistoryPoints(int value) {
        return new VolumeSettings(sensitivity, direction, baselineWeeks, value, minAbsoluteChange);
    }

    public VolumeSettings withMinAbsoluteChange(long value) {
        return new VolumeSettings(sensitivity, direction, baselineWeeks, minHistoryPoints, value);
    }
}
