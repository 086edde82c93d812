package io.beacon.abtest.experiment;

/**
 * A goal or guardrail metric of an experiment.
 *
 * @param key         name shown in results (defaults to the event name)
 * @param event       the event name counted
 * @param type        how events become a per-unit value
 * @param property    the numeric property summed by {@code sum}/{@code revenue} ({@code revenue} by default for revenue)
 * @param windowHours conversion window after the unit's first exposure (default 72)
 */
public record Metric(String key, String event, MetricType type, String property, Integer windowHours) {
    public static final int DEFAULT_WINDOW_HOURS = 72;

    /** A copy with every default filled in. */
    public Metric withDefaults() {
        MetricType t = type == null ? MetricType.CONVERSION : type;
        String p = property != null ? property : t == MetricType.REVENUE ? "revenue" : null;
        return new Metric(key == null || key.isBlank() ? event : key, event, t, p,
                windowHours == null ? DEFAULT_WINDOW_HOURS : windowHours);
    }
}
