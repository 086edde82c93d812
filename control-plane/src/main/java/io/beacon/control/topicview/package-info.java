/**
 * One in-memory view of a compacted Kafka topic, for every part of Beacon that keeps a topic's current
 * state in memory: the config store ({@code beacon.config}), discovery ({@code beacon.discovery}) and
 * abtest's sticky buckets ({@code beacon.sticky-buckets}).
 *
 * <ul>
 *   <li>{@link io.beacon.control.topicview.KafkaTopicView} — reads the topic to its end before it is ready,
 *       then follows it; folds each record into its key's state ({@link io.beacon.control.topicview.TopicReducer});
 *       tombstones remove keys; listeners see every change; writes can wait until the view read them back;</li>
 *   <li>{@link io.beacon.control.topicview.TopicCodec} — a topic's keys and values as bytes;</li>
 *   <li>{@link io.beacon.control.topicview.TopicViewSettings} — how a view connects, creates its topic and writes.</li>
 * </ul>
 */
package io.beacon.control.topicview;
