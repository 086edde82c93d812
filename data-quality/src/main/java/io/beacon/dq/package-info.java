/**
 * Data quality you can prove (issue 20): per-stage counts of every event from the gateway to ClickHouse, the loss
 * rate of complete hours, reconciliation of event ids, registry monitors, volume anomalies against a seasonal
 * baseline, and alerts ({@code $dq_alert} events).
 *
 * <p>Module shape: this root package holds the shared types; {@code anomaly}, {@code loss} and {@code reconcile} are
 * the pure core; {@code collector} and {@code store} are the Kafka and ClickHouse adapters; {@code api} the routes on
 * the shared HTTP kit; {@code runtime} the front door a node wires.
 */
package io.beacon.dq;
