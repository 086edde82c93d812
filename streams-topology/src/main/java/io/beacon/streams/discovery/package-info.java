/**
 * Discovery: counting the unregistered events and properties each project sends (first/last seen,
 * volume, inferred type) and publishing the totals to the compacted {@code beacon.discovery} topic,
 * which the control plane's {@code DiscoveryView} serves through {@code /api/v1/metadata/discovered}.
 * See {@link io.beacon.streams.discovery.Discovery}.
 */
package io.beacon.streams.discovery;
