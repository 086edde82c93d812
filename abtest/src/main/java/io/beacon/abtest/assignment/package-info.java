/**
 * Assignment: the pure {@link io.beacon.abtest.assignment.Assigner} (GrowthBook's evaluation order),
 * sticky bucketing behind the {@link io.beacon.abtest.assignment.StickyBucketStore} port, the
 * {@link io.beacon.abtest.assignment.AssignmentService} the API calls, and the GrowthBook SDK features
 * payload.
 */
package io.beacon.abtest.assignment;
