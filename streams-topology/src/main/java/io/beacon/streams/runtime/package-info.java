/**
 * Beacon's Kafka Streams event pipeline: {@code beacon.events.raw} → parse → map → dedup →
 * {@code beacon.events.valid}, refused records → {@code beacon.events.dlq}.
 *
 * <ul>
 *   <li>{@link io.beacon.streams.runtime.EventTopology#buildTopology} — the pure topology;</li>
 *   <li>{@link io.beacon.streams.runtime.TopologySettings} — typed settings from {@code beacon.streams} / {@code beacon.kafka};</li>
 *   <li>{@link io.beacon.streams.runtime.EventTopics} — creates the topics at startup;</li>
 *   <li>{@link io.beacon.streams.runtime.EventPipeline} — runs the topology with {@code exactly_once_v2}.</li>
 * </ul>
 *
 * This package is the front door; stages live in sibling packages by domain ({@code ingest}, {@code dedup}); {@code internal} packages are
 * not for use by other modules.
 */
package io.beacon.streams.runtime;
