/**
 * The collection gateway's shared types: the Segment-compatible HTTP tracking API (front door
 * {@link io.beacon.gateway.runtime.Gateway}, which nothing in the module but itself imports)
 * authenticates write keys ({@link io.beacon.gateway.WriteKeys}), enforces size limits, and
 * writes accepted events to the raw topic ({@link io.beacon.gateway.EventLog},
 * {@link io.beacon.gateway.KafkaEventLog}), answering only once Kafka acknowledged them.
 * Configuration: {@link io.beacon.gateway.GatewaySettings} ({@code beacon.gateway},
 * {@code beacon.kafka}). This package imports nothing else of the module; {@code internal} and
 * {@code runtime} import it.
 */
package io.beacon.gateway;
