package io.beacon.streams.runtime;

import io.beacon.control.discovery.DiscoveryTopic;
import io.beacon.event.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics (raw, valid, dlq, sessions, persons, person-distinct-ids — all with the
 * events retention —, the data-quality facts topic with {@link #DQ_FACTS_RETENTION} and the compacted
 * discovery topic) when they are missing; the platform calls this at
 * startup before {@link EventPipeline#start()}. Existing topics are left as they are (partition count,
 * configs), so calling it on every start is safe and concurrent callers do not conflict. It returns only
 * once the new partitions' leader serves them, so producers may start right away.
 */
public final class EventTopics {
    private static final Logger LOG = LoggerFactory.getLogger(EventTopics.class);
    private static final long TIMEOUT_SECONDS = 30;
    /** {@code retention.ms} of {@link TopicNames#dqFacts()} when created (fixed; the events' default, too). */
    public static final Duration DQ_FACTS_RETENTION = Duration.ofDays(7);

    private EventTopics() {
    }

    /** Creates missing topics with the partitions, replication and retention from {@code settings}. */
    public static Set<String> createIfMissing(TopologySettings settings) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            return createIfMissing(admin, settings);
        }
    }

    /**
     * Creates missing topics through {@code admin}.
     *
     * @return the names that were created by this call (empty when all existed)
     * @throws IllegalStateException when Kafka does not answer within 30 s or refuses the creation
     */
    public static Set<String> createIfMissing(Admin admin, TopologySettings settings) {
        TopicNames names = settings.topics();
        String events = Long.toString(settings.eventsRetention().toMillis());
        String dlq = Long.toString(settings.dlqRetention().toMillis());
        List<NewTopic> wanted = List.of(
                topic(names.raw(), settings, events),
                topic(names.valid(), settings, events),
                topic(names.dlq(), settings, dlq),
                topic(names.sessions(), settings, events),
                topic(names.persons(), settings, events),
                topic(names.personDistinctIds(), settings, events),
                topic(names.dqFacts(), settings, Long.toString(DQ_FACTS_RETENTION.toMillis())),
                DiscoveryTopic.newTopic(settings.discoveryTopic(), settings.topicReplicationFactor()));
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : wanted) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            Set<String> created = new HashSet<>();
            if (missing.isEmpty()) {
                return created;
            }
            for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) { // another instance was faster: fine
                        throw ex;
                    }
                }
            }
            Map<String, Integer> partitions = new HashMap<>();
            for (NewTopic t : missing) {
                if (created.contains(t.name())) {
                    partitions.put(t.name(), t.numPartitions());
                }
            }
            awaitLeaders(admin, partitions);
            LOG.info("created topics {}", created);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + names.all() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s creating " + names.all(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics " + names.all(), e);
        }
    }

    /**
     * Returns once the leader of every new partition serves requests. {@code CreateTopics} completes when the
     * controller has recorded the topic, possibly before the broker has applied it; an idempotent producer
     * that writes in that window can get its first batch refused (NOT_LEADER_OR_FOLLOWER) while a later one
     * is appended, and then the first batch fails with OUT_OF_ORDER_SEQUENCE_NUMBER until it expires: its
     * records are lost (KAFKA-14312 / KAFKA-15591 / KAFKA-19880; seen here on the dev-stack broker).
     * ListOffsets is answered by the partition leader only, and the admin client retries it until it is.
     */
    private static void awaitLeaders(Admin admin, Map<String, Integer> partitionsByTopic)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitionsByTopic.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        if (request.isEmpty()) {
            return;
        }
        // The admin client does not always retry while the new topic's metadata is still propagating: it can
        // fail fast with UNKNOWN_TOPIC_OR_PARTITION. Ask again until the deadline.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                boolean propagating = e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof LeaderNotAvailableException
                        || e.getCause() instanceof NotLeaderOrFollowerException;
                if (!propagating || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static NewTopic topic(String name, TopologySettings settings, String retentionMs) {
        return new NewTopic(name, settings.topicPartitions(), settings.topicReplicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
    }
}
