/**
 * Beacon's Kafka Streams event pipeline: {@code beacon.events.raw} → parse → map → dedup →
 * {@code beacon.events.valid}, refused records → {@code beacon.events.dlq}.
 *
 * <ul>
 *   <li>{@link io.beacon.streams.EventTopology#buildTopology} — the pure topology;</li>
 *   <li>{@link io.beacon.streams.TopologySettings} — typed settings from {@code beacon.streams} / {@code beacon.kafka};</li>
 *   <li>{@link io.beacon.streams.EventTopics} — creates the topics at startup;</li>
 *   <li>{@link io.beacon.streams.EventPipeline} — runs the topology with {@code exactly_once_v2}.</li>
 * </ul>
 *
 * Stages live in sub-packages by domain ({@code ingest}, {@code dedup}); {@code internal} packages are
 * not for use by other modules.
 */
package io.beacon.streams;
