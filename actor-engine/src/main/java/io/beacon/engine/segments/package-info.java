/**
 * Realtime segment evaluation over {@link io.beacon.engine.state.UserState}, pure:
 * {@link io.beacon.engine.segments.SegmentEvaluator} (match and next change instant),
 * {@link io.beacon.engine.segments.SegmentMembership} (entries/exits and the next timer), and the
 * change record of {@code beacon.segment.changes} ({@link io.beacon.engine.segments.SegmentChange},
 * {@link io.beacon.engine.segments.SegmentChangeJson}).
 */
package io.beacon.engine.segments;
