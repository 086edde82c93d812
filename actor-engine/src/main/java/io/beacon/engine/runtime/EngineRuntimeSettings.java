package io.beacon.engine.runtime;

import com.typesafe.config.Config;
import io.beacon.event.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The runtime settings of an engine node ({@code beacon.engine.*} runtime keys and {@code beacon.kafka.*};
 * every key is documented in the module's {@code reference.conf}). The per-user state settings are the core's
 * {@code io.beacon.engine.state.EngineSettings}.
 *
 * @param bootstrapServers   Kafka {@code bootstrap.servers}
 * @param eventsTopic        the input ({@code beacon.events.valid}, key {@code project:person})
 * @param changelogTopic     compacted per-user state snapshots ({@code beacon.engine.changelog})
 * @param changesTopic       segment entries/exits ({@code beacon.segment.changes})
 * @param scoreChangesTopic  score threshold crossings ({@code beacon.score.changes})
 * @param journeyEventsTopic what happened to journey runs ({@code beacon.journey.events}, created by the engine)
 * @param outboxTopic        the CDP outbox the journeys' sends go to ({@code beacon.cdp.outbox}, created by the
 *                           connectors' topics: a node running the engine creates them too)
 * @param nodeId             stable id of this node; the transactional id is {@code <group-id>-<node-id>}
 * @param groupId            the consumer group all engine nodes share ({@code <topic-prefix><group-id>})
 * @param stateDir           where this node keeps its per-partition RocksDB stores
 *                           ({@code <state-dir>/<topic-prefix><group-id>-<node-id>})
 * @param maxPollRecords     records per poll = per transaction
 * @param pollTimeout        longest wait of one poll (timers run between polls)
 * @param askTimeout         how long the consumer waits for an entity's answer before aborting the batch
 * @param maxInFlight        entity asks in flight at once (back-pressure on the entities' mailboxes)
 * @param passivationIdle    an entity idle this long stops (its state stays in RocksDB)
 * @param timerInterval      how often due timers are read from the stores
 * @param timerBatch         due users read per partition per timer round
 * @param transactionTimeout the producer's {@code transaction.timeout.ms}
 * @param topicReplication   replication factor of the engine topics it creates
 * @param clusterHost        pekko remoting host of this node
 * @param clusterPort        pekko remoting port (0 = any free port)
 * @param seedNodes          {@code host:port} of nodes to join; empty = form a new one-node cluster
 * @param sessionTimeout     the consumer's {@code session.timeout.ms}: how soon a crashed node's partitions move
 * @param compression        the producer's {@code compression.type} for the changelog and the segment changes
 * @param snapshotInterval   how long a user's snapshot may wait when its events changed nothing that must be
 *                           committed at once (0 = a snapshot per changed user per batch)
 */
public record EngineRuntimeSettings(
        String bootstrapServers,
        String eventsTopic,
        String changelogTopic,
        String changesTopic,
        String scoreChangesTopic,
        String journeyEventsTopic,
        String outboxTopic,
        String nodeId,
        String groupId,
        Path stateDir,
        int maxPollRecords,
        Duration pollTimeout,
        Duration askTimeout,
        int maxInFlight,
        Duration passivationIdle,
        Duration timerInterval,
        int timerBatch,
        Duration transactionTimeout,
        short topicReplication,
        String clusterHost,
        int clusterPort,
        List<String> seedNodes,
        Duration sessionTimeout,
        String compression,
        Duration snapshotInterval) {

    public static final String CHANGELOG = "beacon.engine.changelog";

    public static EngineRuntimeSettings fromConfig(Config config) {
        String prefix = config.getString("beacon.kafka.topic-prefix");
        Config e = config.getConfig("beacon.engine");
        return new EngineRuntimeSettings(
                config.getString("beacon.kafka.bootstrap-servers"),
                TopicNames.withPrefix(prefix).valid(),
                prefix + CHANGELOG,
                TopicNames.withPrefix(prefix).segmentChanges(),
                TopicNames.withPrefix(prefix).scoreChanges(),
                TopicNames.withPrefix(prefix).journeyEvents(),
                TopicNames.withPrefix(prefix).cdpOutbox(),
                e.getString("node-id"),
                // the topic prefix namespaces the group and the local stores like it namespaces the topics
                prefix + e.getString("group-id"),
                Path.of(e.getString("state-dir")).resolve(prefix + e.getString("group-id") + "-" + e.getString("node-id")),
                e.getInt("max-poll-records"),
                e.getDuration("poll-timeout"),
                e.getDuration("ask-timeout"),
                e.getInt("max-in-flight"),
                e.getDuration("passivation-idle"),
                e.getDuration("timer-interval"),
                e.getInt("timer-batch"),
                e.getDuration("transaction-timeout"),
                (short) e.getInt("topics.replication-factor"),
                e.getString("cluster.host"),
                e.getInt("cluster.port"),
                e.getStringList("cluster.seed-nodes"),
                e.getDuration("session-timeout"),
                e.getString("compression"),
                e.getDuration("snapshot-interval"));
    }

    /** The transactional id of this node's producer: stable across restarts so a restart fences its predecessor. */
    public String transactionalId() {
        return groupId + "-" + nodeId;
    }

    public EngineRuntimeSettings withTopics(String events, String changelog, String changes) {
        return withTopics(events, changelog, changes, scoreChangesTopic);
    }

    public EngineRuntimeSettings withTopics(String events, String changelog, String changes, String scoreChanges) {
        return new EngineRuntimeSettings(bootstrapServers, events, changelog, changes, scoreChanges, journeyEventsTopic,
                outboxTopic, nodeId, groupId, stateDir, maxPollRecords, pollTimeout, askTimeout, maxInFlight, passivationIdle, timerInterval, timerBatch,
                transactionTimeout, topicReplication, clusterHost, clusterPort, seedNodes, sessionTimeout, compression, snapshotInterval);
    }

    /** These settings with the journeys' topics named otherwise. */
    public EngineRuntimeSettings withJourneyTopics(String journeyEvents, String outbox) {
        return new EngineRuntimeSettings(bootstrapServers, eventsTopic, changelogTopic, changesTopic, scoreChangesTopic,
                journeyEvents, outbox, nodeId, groupId, stateDir, maxPollRecords, pollTimeout, askTimeout, maxInFlight,
                passivationIdle, timerInterval, timerBatch, transactionTimeout, topicReplication, clusterHost, clusterPort,
                seedNodes, sessionTimeout, compression, snapshotInterval);
    }
}
