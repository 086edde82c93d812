/**
 * Realtime segment definitions: {@link io.beacon.control.segments.SegmentDefinition} documents
 * ({@code segment/<project>/<id>} on {@code beacon.config}) holding a
 * {@link io.beacon.control.audience.Rule} tree; the strict JSON of both in
 * {@link io.beacon.control.segments.SegmentJson} (docs/segments.md); versioned writes in
 * {@link io.beacon.control.segments.SegmentService}; a listener-maintained
 * {@link io.beacon.control.segments.SegmentCatalog} for the engine; the CRUD API
 * {@link io.beacon.control.segments.SegmentRoutes} at {@code /api/v1/segments}. Evaluation lives in
 * the actor engine.
 */
package io.beacon.control.segments;
