package io.beacon.cdp.outbox;

import io.beacon.event.TopicNames;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the connectors' topics when missing: the outbox and the retry topic with the same partition count (a
 * worker owns partition n of both), the DLQ (30 days) and the delivery log (7 days). An outbox and retry topic with
 * different partition counts are refused: the retry schedule of a partition would live with another worker.
 */
public final class CdpTopics {
    private static final long TIMEOUT_SECONDS = 30;

    private CdpTopics() {
    }

    public static void createIfMissing(String bootstrapServers, TopicNames topics, int partitions) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            add(missing, existing, topics.cdpOutbox(), partitions, Duration.ofDays(7));
            add(missing, existing, topics.cdpRetry(), partitions, Duration.ofDays(7));
            add(missing, existing, topics.cdpDlq(), partitions, Duration.ofDays(30));
            add(missing, existing, topics.cdpDeliveries(), partitions, Duration.ofDays(7));
            for (var f : admin.createTopics(missing).values().values()) {
                try {
                    f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            int outbox = partitions(admin, topics.cdpOutbox());
            int retry = partitions(admin, topics.cdpRetry());
            if (outbox != retry) {
                throw new IllegalStateException(topics.cdpOutbox() + " has " + outbox + " partitions but "
                        + topics.cdpRetry() + " has " + retry + "; they must be equal");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the connectors' topics: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the connectors' topics", e);
        }
    }

    // a topic just created may not be in the metadata yet: ask again until the deadline
    private static int partitions(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // metadata propagation after create
            }
        }
    }

    private static void add(List<NewTopic> missing, Set<String> existing, String name, int partitions, Duration retention) {
        if (!existing.contains(name)) {
            missing.add(new NewTopic(name, partitions, (short) 1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))));
        }
    }
}
