package io.beacon.ml;

/**
 * The time windows features read, relative to the scoring time {@code now} (epoch ms, UTC).
 * <ul>
 *   <li>{@link #H24}: the last 24 hours, {@code (now − 24 h, now]} (the engine: 1-hour buckets);</li>
 *   <li>{@link #D7}: the last 7 UTC days including today (today's UTC day and the 6 before it);</li>
 *   <li>{@link #D30}: the last 30 UTC days including today;</li>
 *   <li>{@link #PREV_D7}: the 7 UTC days before those of {@link #D7} (UTC days 7 to 13 back), so
 *       {@code D7} and {@code PREV_D7} together are the last 14 UTC days, without overlap;</li>
 *   <li>{@link #ALL}: everything ever seen.</li>
 * </ul>
 * D7 and PREV_D7 are defined at UTC-day granularity so that the engine can answer them from its
 * day buckets; an offline implementation must use the same day boundaries.
 */
public enum FeatureWindow {
    H24, D7, D30, PREV_D7, ALL
}
