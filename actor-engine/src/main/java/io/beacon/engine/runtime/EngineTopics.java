package io.beacon.engine.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the engine's topics when missing, with the partition count of the events topic: the compacted
 * {@code beacon.engine.changelog} (partition p holds the snapshots of the users of events partition p, so a
 * node taking over partition p restores from changelog partition p), {@code beacon.segment.changes} and
 * {@code beacon.score.changes} and {@code beacon.journey.events} (delete, 7 days; the
 * sink copies the journey events into ClickHouse). The CDP outbox the journeys send to belongs to the connectors'
 * topics. Existing topics are left alone; a changelog whose partition count differs from the events
 * topic's is refused, because restore would read the wrong users.
 */
public final class EngineTopics {
    private static final long TIMEOUT_SECONDS = 30;
    private static final long CHANGES_RETENTION_MS = Duration.ofDays(7).toMillis();

    private EngineTopics() {
    }

    /** Creates what is missing and returns the partition count of the events topic. */
    public static int createIfMissing(EngineRuntimeSettings settings) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            return createIfMissing(admin, settings);
        }
    }

    public static int createIfMissing(Admin admin, EngineRuntimeSettings settings) {
        try {
            int partitions = partitions(admin, settings.eventsTopic());
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(settings.changelogTopic())) {
                missing.add(new NewTopic(settings.changelogTopic(), partitions, settings.topicReplication())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            for (String changes : List.of(settings.changesTopic(), settings.scoreChangesTopic(), settings.journeyEventsTopic())) {
                if (!existing.contains(changes)) {
                    missing.add(new NewTopic(changes, partitions, settings.topicReplication())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(CHANGES_RETENTION_MS))));
                }
            }
            for (var f : admin.createTopics(missing).values().values()) {
                try {
                    f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            int changelog = partitions(admin, settings.changelogTopic());
            if (changelog != partitions) {
                throw new IllegalStateException(settings.changelogTopic() + " has " + changelog + " partitions but "
                        + settings.eventsTopic() + " has " + partitions + "; they must be equal");
            }
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the engine topics: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the engine topics", e);
        }
    }

    private static int partitions(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
                return d.partitions().size();
            } catch (ExecutionException e) {
                // a topic created a moment ago may not be described yet
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // metadata propagation; bounded by the deadline
            }
        }
    }
}
