/**
 * Discovery: the unregistered events and properties the stream topology saw, per project, with
 * volume, first/last seen and inferred type, and a one-call "register as draft".
 *
 * <ul>
 *   <li>{@link io.beacon.control.discovery.DiscoveryTopic} — the compacted topic the topology publishes to
 *       (key {@code project/kind/name});</li>
 *   <li>{@link io.beacon.control.discovery.DiscoveredItem} / {@link io.beacon.control.discovery.DiscoveryCodec} —
 *       the record and its JSON;</li>
 *   <li>{@link io.beacon.control.discovery.DiscoveryView} — every process's in-memory view of the topic;</li>
 *   <li>{@link io.beacon.control.discovery.DiscoveryEndpoints} — the {@code /api/v1/metadata/discovered} handlers.</li>
 * </ul>
 */
package io.beacon.control.discovery;
