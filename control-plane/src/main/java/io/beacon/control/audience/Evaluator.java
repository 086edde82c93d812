package io.beacon.control.audience;

/**
 * The two evaluators of a {@link Rule}, and what each can express. A rule is parsed for one of them
 * ({@link RuleJson#parse}); a node the target cannot evaluate is refused there, naming its JSON path.
 *
 * <table>
 *   <caption>What each side evaluates</caption>
 *   <tr><th>node</th><th>{@link #HISTORY} (cohorts, ClickHouse)</th><th>{@link #REALTIME} (segments, engine)</th></tr>
 *   <tr><td>and / or / not</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>event_count, rolling window</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>event_count, {@code days}</td><td>yes</td><td>no (UTC buckets)</td></tr>
 *   <tr><td>event_count, any event or filters</td><td>yes</td><td>no (counts by name)</td></tr>
 *   <tr><td>sequence</td><td>yes</td><td>no</td></tr>
 *   <tr><td>last_seen_within / not_seen_for</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>trait</td><td>yes (numeric gt/gte/lt/lte/between)</td><td>yes, but not regex / not_regex</td></tr>
 *   <tr><td>score</td><td>no (scores live in the engine)</td><td>yes</td></tr>
 *   <tr><td>revenue</td><td>no (the revenue property is engine configuration)</td><td>yes</td></tr>
 * </table>
 */
public enum Evaluator {
    /** Cohorts: compiled to ClickHouse over the whole event history at query time. */
    HISTORY,
    /** Realtime segments: evaluated by the actor engine on every event of a user and on time. */
    REALTIME
}
