package io.beacon.control.discovery;

import io.beacon.control.topicview.KafkaTopicView;
import io.beacon.control.topicview.TopicCodec;
import io.beacon.control.topicview.TopicReducer;
import io.beacon.control.topicview.TopicViewSettings;
import io.beacon.control.topicview.TopicViewUnavailableException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.IsolationLevel;

/**
 * The discovered items of every project, materialized in memory from {@link DiscoveryTopic} by a
 * {@link KafkaTopicView} (every process has the full view; the last record of an item wins; a tombstone
 * removes it). Reads are non-blocking map reads.
 *
 * <p>{@link #start()} does not wait: discovery is informational, so a process is ready without it, and the
 * topology may create the topic later; {@link #isReady()} tells when the view caught up with the end
 * offsets seen at start. {@link #detached()} is a view without Kafka (processes without a broker, tests),
 * filled with {@link #apply}.
 */
public final class DiscoveryView implements AutoCloseable {
    /** Values must be the item of their key (the topology keys by {@link DiscoveredItem#key()}). */
    private static final TopicCodec<String, DiscoveredItem> CODEC = TopicCodec.stringKeys(DiscoveryCodec::encode, (key, bytes) -> {
        DiscoveredItem item = DiscoveryCodec.decode(bytes);
        if (!item.key().equals(key)) {
            throw new IllegalArgumentException("key does not match its value");
        }
        return item;
    });

    private final KafkaTopicView<String, DiscoveredItem, DiscoveredItem> view;

    /**
     * @param bootstrapServers  Kafka {@code bootstrap.servers}
     * @param topic             {@link DiscoveryTopic#withPrefix}
     * @param replicationFactor used when the view creates the missing topic
     * @param kafkaProperties   extra client properties (security etc.), applied first
     */
    public DiscoveryView(String bootstrapServers, String topic, short replicationFactor, Map<String, String> kafkaProperties) {
        this(new KafkaTopicView<>(TopicViewSettings.builder("discovery", bootstrapServers, topic)
                .kafkaProperties(kafkaProperties)
                .replicationFactor(replicationFactor)
                .startTimeout(Duration.ofSeconds(30))
                .isolation(IsolationLevel.READ_COMMITTED) // the topology writes transactionally
                .missingTopic(TopicViewSettings.MissingTopic.WAIT)
                .build(), CODEC, TopicReducer.lastWins()));
    }

    private DiscoveryView(KafkaTopicView<String, DiscoveredItem, DiscoveredItem> view) {
        this.view = view;
    }

    /** A view that reads no topic: empty until {@link #apply} is called. Ready at once. */
    public static DiscoveryView detached() {
        return new DiscoveryView(KafkaTopicView.detached("discovery", TopicReducer.lastWins()));
    }

    /** The topic read, or {@code null} for a detached view. */
    public String topic() {
        return view.topic().orElse(null);
    }

    /** Creates the topic when missing and starts the reading thread; returns without waiting. */
    public void start() {
        view.start();
    }

    /** Whether the view has read the topic up to its end as of {@link #start()}. */
    public boolean isReady() {
        return view.isReady();
    }

    /** Waits up to {@code timeout} for {@link #isReady()}. */
    public boolean awaitReady(Duration timeout) {
        try {
            view.awaitReady(timeout);
            return view.isReady();
        } catch (TopicViewUnavailableException e) {
            return false;
        }
    }

    /** The project's items, most frequent first, then by kind and name. */
    public List<DiscoveredItem> list(String project) {
        return view.asMap().values().stream()
                .filter(item -> item.project().equals(project))
                .sorted(Comparator.comparingLong(DiscoveredItem::volume).reversed()
                        .thenComparing(DiscoveredItem::kind)
                        .thenComparing(DiscoveredItem::name))
                .toList();
    }

    public Optional<DiscoveredItem> get(String project, DiscoveryKind kind, String name) {
        return view.get(DiscoveredItem.key(project, kind, name));
    }

    /** Replaces the item with the same key (what a record on the topic does). */
    public void apply(DiscoveredItem item) {
        view.applyLocally(item.key(), item);
    }

    @Override
    public void close() {
        view.close();
    }
}
