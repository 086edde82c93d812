/**
 * The dead-letter queue ({@code beacon.events.dlq}): list what the pipeline refused, and replay it
 * through the topology after the cause was fixed (typically a registry definition).
 *
 * <ul>
 *   <li>{@link io.beacon.control.dlq.DeadLetterBrowser} — reads the DLQ from its beginning to its end
 *       offsets at call time; {@link io.beacon.control.dlq.DeadLetterFilter} (project, code, stage) and
 *       {@link io.beacon.control.dlq.DeadLetterPage} (total, counts per code, records).</li>
 *   <li>{@link io.beacon.control.dlq.DeadLetterReplayer} — produces the original bytes of the letters a
 *       {@link io.beacon.control.dlq.ReplaySelection} picks back to {@code beacon.events.raw};
 *       {@link io.beacon.control.dlq.ReplayPlan} is its pure core (which stages are replayable, keys,
 *       skip reasons). Dedup by event id in the topology makes a repeated replay land once.</li>
 *   <li>{@link io.beacon.control.dlq.DeadLetterRoutes} — {@code GET /api/v1/dlq},
 *       {@code POST /api/v1/dlq/replay}, secret-key authenticated, scoped to the key's project.</li>
 * </ul>
 *
 * Operators without a project key (the {@code beacon dlq} CLI) use the browser and replayer directly with
 * {@link io.beacon.control.dlq.DeadLetterSettings#from}; an empty project filter sees every letter.
 */
package io.beacon.control.dlq;
