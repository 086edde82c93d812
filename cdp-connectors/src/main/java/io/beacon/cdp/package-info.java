/**
 * The CDP connectors: triggers (segment entries/exits, matching events) become messages on
 * {@code beacon.cdp.outbox}; outbox workers deliver them as Standard Webhooks-signed HTTP requests (webhook, push,
 * CRM adapters) with a durable retry schedule, a per-destination circuit breaker, a DLQ that can be replayed and a
 * delivery log. See {@code docs/connectors.md}.
 */
package io.beacon.cdp;
