/**
 * The connectors' dead-letter queue ({@code beacon.cdp.dlq}): list what the outbox workers gave up on, and put it
 * back on the outbox (same message id, same {@code webhook-id}) once the receiver is fixed, by destination, time
 * range and error class.
 *
 * <ul>
 *   <li>{@link io.beacon.cdp.dlq.CdpDlqFilter}, {@link io.beacon.cdp.dlq.CdpDlqParams},
 *       {@link io.beacon.cdp.dlq.CdpDlqCursor} — what is selected, from the words of a request (pure).</li>
 *   <li>{@link io.beacon.cdp.dlq.CdpDlqBrowser} — pages of letters (bounded reads of the topic, seeking to
 *       {@code from} with {@code offsetsForTimes}).</li>
 *   <li>{@link io.beacon.cdp.dlq.CdpDlqReplayer} — bulk replay, remembering replays in the compacted
 *       {@code beacon.cdp.dlq-replays}; {@link io.beacon.cdp.dlq.CdpReplayPlan} is its pure core.</li>
 *   <li>{@link io.beacon.cdp.dlq.CdpDlqCommand} — {@code ./beacon cdp dlq list|replay} (the platform's CLI prints
 *       what it answers).</li>
 * </ul>
 *
 * The settings, positions and the unavailable exception are the events DLQ's ({@code io.beacon.control.dlq}).
 */
package io.beacon.cdp.dlq;
