package io.beacon.dq.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * Finds the hours of one series whose count leaves its seasonal band ({@link SeasonalBaseline}).
 *
 * <p>An hour is judged only when its baseline holds at least {@link VolumeSettings#minHistoryPoints()} weeks, so
 * nothing alerts during the warm-up of a new series. It is an anomaly when its robust z score is beyond the
 * sensitivity in a direction the settings admit and it differs from the median by at least
 * {@link VolumeSettings#minAbsoluteChange()} events. The caller passes complete hours only: the current, still
 * filling hour would read as a drop.
 */
public final class VolumeDetector {

    private VolumeDetector() {
    }

    /**
     * The anomalies of {@code series} in the hours {@code [fromHour, toHour)}, in hour order.
     *
     * @param series    the hourly counts (see {@link SeasonalBaseline} for the keys and missing hours)
     * @param fromHour  the first judged hour, epoch ms UTC at an hour start
     * @param toHour    the end (exclusive), epoch ms UTC at an hour start
     */
    public static List<VolumeAnomaly> detect(SortedMap<Long, Long> series, long fromHour, long toHour,
                                             VolumeSettings settings) {
        SeasonalBaseline.requireHour(fromHour);
        SeasonalBaseline.requireHour(toHour);
        requireCounts(series);
        List<VolumeAnomaly> out = new ArrayList<>();
        for (long hour = fromHour; hour < toHour; hour += SeasonalBaseline.HOUR_MS) {
            OptionalLong observed = SeasonalBaseline.count(series, hour);
            if (observed.isEmpty()) {
                continue;
            }
            SeasonalBaseline baseline = SeasonalBaseline.of(series, hour, settings.baselineWeeks());
            if (baseline.points() < settings.minHistoryPoints()) {
                continue;
            }
            judge(baseline, observed.getAsLong(), settings).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<VolumeAnomaly> judge(SeasonalBaseline baseline, long observed,
                                                           VolumeSettings settings) {
        double score = baseline.score(observed);
        double threshold = settings.sensitivity();
        if (Math.abs(score) <= threshold
                || Math.abs(observed - baseline.median()) < settings.minAbsoluteChange()) {
            return Optional.empty();
        }
        VolumeAnomaly.Direction change = score < 0 ? VolumeAnomaly.Direction.DROP : VolumeAnomaly.Direction.SPIKE;
        if (!settings.direction().admits(change)) {
            return Optional.empty();
        }
        double lower = Math.max(0, baseline.median() - threshold * baseline.scale());
        double upper = baseline.median() + threshold * baseline.scale();
        return Optional.of(new VolumeAnomaly(baseline.hourMs(), observed, baseline.median(), lower, upper,
                score, change, baseline.points()));
    }

    private static void requireCounts(SortedMap<Long, Long> series) {
        for (Map.Entry<Long, Long> e : series.entrySet()) {
            SeasonalBaseline.requireHour(e.getKey());
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("count of hour " + e.getKey() + " must be >= 0, not " + e.getValue());
            }
        }
    }
}
