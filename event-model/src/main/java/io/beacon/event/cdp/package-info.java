/**
 * The wire records of the CDP connectors' topics ({@code beacon.cdp.outbox}, {@code .retry}, {@code .dlq},
 * {@code .deliveries}), their one codec {@link io.beacon.event.cdp.CdpCodec}, and the idempotency keys derived
 * from a message's cause.
 */
package io.beacon.event.cdp;
