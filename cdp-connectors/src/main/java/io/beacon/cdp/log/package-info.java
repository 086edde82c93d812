/**
 * The delivery log, read side: {@link io.beacon.cdp.log.DeliveryLog} answers a destination's recent attempts and its
 * figures (attempts, outcomes, success rate, latency percentiles) from ClickHouse {@code deliveries}, which the
 * warehouse's {@code DeliverySink} fills from {@code beacon.cdp.deliveries}. {@code LogSql} writes the SQL (pure);
 * the routes are {@code io.beacon.cdp.api.DeliveryLogRoutes}.
 */
package io.beacon.cdp.log;
