/**
 * Adapters of abtest's ports onto infrastructure: {@link io.beacon.abtest.adapters.KafkaStickyBuckets}, the
 * production {@link io.beacon.abtest.assignment.StickyBucketStore} on the compacted topic
 * {@code beacon.sticky-buckets} (a control-plane {@code KafkaTopicView}). The platform only wires them.
 */
package io.beacon.abtest.adapters;
