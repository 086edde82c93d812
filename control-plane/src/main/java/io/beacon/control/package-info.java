/**
 * Beacon's control plane: every definition a user edits lives as a versioned JSON document in the
 * compacted topic {@code beacon.config} and is materialized in memory by every process. This root package
 * holds only what the module's packages share: the settings ({@link io.beacon.control.ControlPlaneSettings}),
 * the document failures ({@link io.beacon.control.InvalidDocumentException}, {@link io.beacon.control.FieldError}),
 * the name rules ({@link io.beacon.control.NameRules}) and {@link io.beacon.control.Versioned}.
 *
 * <ul>
 *   <li>{@link io.beacon.control.runtime} — the front door {@code ControlPlane}, which wires the rest;</li>
 *   <li>{@link io.beacon.control.store} — the {@code ConfigStore} port, its Kafka implementation and
 *       an in-memory fake;</li>
 *   <li>{@link io.beacon.control.topicview} — the one in-memory view of a compacted topic, used by the
 *       Kafka config store, discovery and abtest's sticky buckets;</li>
 *   <li>{@link io.beacon.control.project} — projects, their keys and the key lookups the gateway uses;</li>
 *   <li>{@link io.beacon.control.registry} — event/property definitions and the pure enforcement
 *       functions ({@code EventValidator}, {@code PiiTransformer}) the topology calls;</li>
 *   <li>{@link io.beacon.control.api} — the admin HTTP routes under {@code /api/v1}.</li>
 * </ul>
 */
package io.beacon.control;
