package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.topicview.KafkaTopicView;
import io.beacon.control.topicview.TopicCodec;
import io.beacon.control.topicview.TopicUpdate;
import io.beacon.control.topicview.TopicViewUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConfigStore} on the compacted config topic: a {@link KafkaTopicView} that folds each key's
 * records with the conflict rule ({@link ConfigView#step}). {@link #start()} returns once the view
 * reached the end offsets observed at start, so a restarted process rebuilds its full view before it is
 * ready.
 *
 * <p>Writes use the view's idempotent {@code acks=all} producer and wait until the view read them back;
 * the view's rule decides the outcome (applied, or ignored because another writer with the same base
 * version came first), and for a lost record this store appends a repair record (see the package
 * documentation).
 */
public final class KafkaConfigStore implements ConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConfigStore.class);

    /** Record keys {@code kind/project/id}, values UTF-8 JSON (any JSON: the rule judges what it is). */
    private static final TopicCodec<ConfigKey, JsonNode> CODEC = new TopicCodec<>() {
        @Override
        public String encodeKey(ConfigKey key) {
            return key.asString();
        }

        @Override
        public ConfigKey decodeKey(String key) {
            return ConfigKey.parse(key).orElseThrow(() -> new IllegalArgumentException("key is not kind/project/id"));
        }

        @Override
        public byte[] encodeValue(JsonNode value) {
            return ConfigJson.bytes(value);
        }

        @Override
        public JsonNode decodeValue(ConfigKey key, byte[] value) {
            try {
                return ConfigJson.parse(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("value of " + key + " is not JSON", e);
            }
        }
    };

    private final ConfigStoreSettings settings;
    private final KafkaTopicView<ConfigKey, JsonNode, ConfigView.Slot> topicView;
    private final ConfigView view;

    public KafkaConfigStore(ConfigStoreSettings settings) {
        this.settings = settings;
        this.topicView = new KafkaTopicView<>(settings.topicView("config", settings.topic()).build(), CODEC,
                (key, held, value) -> ConfigView.step(key, held, value).slot());
        this.view = ConfigView.over(topicView.asMap());
    }

    /** The topic this store materializes. */
    public String topic() {
        return settings.topic();
    }

    @Override
    public void start() {
        startAsync();
        try {
            topicView.awaitReady(settings.startTimeout());
        } catch (TopicViewUnavailableException e) {
            throw new ConfigStoreUnavailableException("config store not ready: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the topic if missing, starts the view thread and completes once the view caught up with the
     * end offsets observed at start.
     */
    public CompletionStage<Void> startAsync() {
        try {
            return topicView.start();
        } catch (TopicViewUnavailableException e) {
            throw new ConfigStoreUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public boolean isReady() {
        return topicView.isReady();
    }

    @Override
    public Optional<ConfigEntry> get(ConfigKey key) {
        return view.get(key);
    }

    @Override
    public List<ConfigEntry> list(String kind, String project) {
        return view.list(kind, project);
    }

    @Override
    public List<ConfigEntry> list(String kind) {
        return view.list(kind, null);
    }

    @Override
    public CompletionStage<ConfigEntry> putAsync(ConfigKey key, JsonNode document, long expectedVersion) {
        if (document == null || !document.isObject()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a config document is a JSON object"));
        }
        Optional<RuntimeException> notReady = checkWritable();
        if (notReady.isPresent()) {
            return CompletableFuture.failedFuture(notReady.get());
        }
        // one read of the slot, so the checked version and the written one belong together
        ConfigView.Slot held = topicView.get(key).orElse(null);
        long current = held == null ? 0 : held.visibleVersion();
        if (current != expectedVersion) {
            return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
        }
        JsonNode value = ConfigView.versioned(document, ConfigView.nextVersion(held));
        return send(key, value)
                .thenApply(update -> {
                    Optional<ConfigEntry> written = update.current().flatMap(ConfigView.Slot::visible);
                    if (won(key, value, update) && written.isPresent()) {
                        return written.get();
                    }
                    throw conflict(key, expectedVersion, update);
                })
                .orTimeout(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    throw asStoreException(t, key);
                });
    }

    @Override
    public CompletionStage<Void> deleteAsync(ConfigKey key, long expectedVersion) {
        Optional<RuntimeException> notReady = checkWritable();
        if (notReady.isPresent()) {
            return CompletableFuture.failedFuture(notReady.get());
        }
        ConfigView.Slot held = topicView.get(key).orElse(null);
        long current = held == null ? 0 : held.visibleVersion();
        if (current == 0 || current != expectedVersion) {
            return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
        }
        JsonNode marker = ConfigView.deletionMarker(ConfigView.nextVersion(held));
        return send(key, marker)
                .thenCompose(update -> {
                    if (won(key, marker, update)) {
                        // The marker decided the delete; the tombstone lets compaction drop the key.
                        return topicView.send(key, null);
                    }
                    throw conflict(key, expectedVersion, update);
                })
                .orTimeout(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> {
                    throw asStoreException(t, key);
                });
    }

    @Override
    public AutoCloseable addListener(String kind, Consumer<Change> listener, boolean replayCurrent) {
        return topicView.subscribe(update -> {
            if (!update.key().kind().equals(kind)) {
                return;
            }
            Optional<ConfigEntry> previous = update.previous().flatMap(ConfigView.Slot::visible);
            Optional<ConfigEntry> current = update.current().flatMap(ConfigView.Slot::visible);
            if (!previous.equals(current)) {
                listener.accept(new Change(update.key(), previous, current));
            }
        }, replayCurrent);
    }

    /** Stops the store; pending writes fail with {@link ConfigStoreUnavailableException}. */
    @Override
    public void close() {
        topicView.close();
    }

    // ---- writing -------------------------------------------------------------------------------

    private Optional<RuntimeException> checkWritable() {
        if (!isReady()) {
            return Optional.of(new ConfigStoreUnavailableException("config store is not ready (or closed)"));
        }
        return Optional.empty();
    }

    /**
     * Writes {@code value} and completes once the view read it back; when the record lost, appends a
     * repair record so the key's last record states its current state again (the package documentation).
     */
    private CompletableFuture<TopicUpdate<ConfigKey, ConfigView.Slot>> send(ConfigKey key, JsonNode value) {
        return topicView.write(key, value).toCompletableFuture().whenComplete((update, error) -> {
            if (error == null && !won(key, value, update)) {
                repair(key);
            }
        });
    }

    /** Whether {@code value}, read back with {@code update}, became the key's state under the conflict rule. */
    private static boolean won(ConfigKey key, JsonNode value, TopicUpdate<ConfigKey, ConfigView.Slot> update) {
        return ConfigView.step(key, update.previous().orElse(null), value).outcome() instanceof ConfigView.Outcome.Applied;
    }

    /** Re-states the current state of {@code key} if its last record is a lost write (until that holds). */
    private void repair(ConfigKey key) {
        if (!view.needsRepair(key)) {
            return;
        }
        LOG.debug("re-stating current state of {} after a lost write", key);
        send(key, view.repairValue(key)).whenComplete((update, error) -> {
            if (error != null) {
                LOG.warn("repair record for {} not written: {}", key, error.getMessage());
            }
        });
    }

    private static ConflictException conflict(ConfigKey key, long expectedVersion, TopicUpdate<ConfigKey, ConfigView.Slot> update) {
        long current = update.current().map(ConfigView.Slot::visibleVersion).orElse(0L);
        return new ConflictException(key, expectedVersion, current);
    }

    private static RuntimeException asStoreException(Throwable t, ConfigKey key) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new ConfigStoreUnavailableException("write of " + key + " not confirmed in time; its outcome is unknown, re-read before retrying", cause);
        }
        if (cause instanceof TopicViewUnavailableException) {
            return new ConfigStoreUnavailableException("config write of " + key + " failed: " + cause.getMessage(), cause);
        }
        return Futures.unwrap(cause);
    }
}
