/**
 * The collection gateway: Segment-compatible HTTP tracking API ({@link io.beacon.gateway.Gateway})
 * that authenticates write keys ({@link io.beacon.gateway.WriteKeys}), enforces size limits, and
 * writes accepted events to the raw topic ({@link io.beacon.gateway.EventLog},
 * {@link io.beacon.gateway.KafkaEventLog}), answering only once Kafka acknowledged them.
 * Configuration: {@link io.beacon.gateway.GatewaySettings} ({@code beacon.gateway},
 * {@code beacon.kafka}).
 */
package io.beacon.gateway;
