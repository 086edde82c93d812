/**
 * Realtime segment evaluation over {@link io.beacon.engine.state.UserState}, pure:
 * {@link io.beacon.engine.segments.SegmentEvaluator} (match and next change instant),
 * {@link io.beacon.engine.segments.SegmentMembership} (entries/exits and the next timer). The change
 * record of {@code beacon.segment.changes} is a wire contract of the event model
 * ({@link io.beacon.event.SegmentChange}, {@link io.beacon.event.SegmentChangeCodec}).
 */
package io.beacon.engine.segments;
