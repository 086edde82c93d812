package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link ConfigStore} without Kafka, for unit tests of code built on the store (gateway, topology,
 * routes). Writes apply synchronously with the same version rules and listener semantics as
 * {@link KafkaConfigStore}. Ready from construction.
 */
public final class InMemoryConfigStore implements ConfigStore {
    private final Object lock = new Object();
    private final ConfigView view = new ConfigView();
    private final ListenerRegistry listeners = new ListenerRegistry(lock);

    @Override
    public void start() {
    }

    @Override
    public boolean isReady() {
        return true;
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
        synchronized (lock) {
            long current = view.visibleVersion(key);
            if (current != expectedVersion) {
                return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
            }
            ConfigView.Outcome outcome = view.apply(key, ConfigView.versioned(document, view.nextVersion(key)));
            if (outcome instanceof ConfigView.Outcome.Applied applied) {
                applied.change().ifPresent(listeners::notify);
                return CompletableFuture.completedFuture(applied.current().orElseThrow());
            }
            throw new IllegalStateException("an in-memory write cannot lose: " + outcome);
        }
    }

    @Override
    public CompletionStage<Void> deleteAsync(ConfigKey key, long expectedVersion) {
        synchronized (lock) {
            long current = view.visibleVersion(key);
            if (current == 0 || current != expectedVersion) {
                return CompletableFuture.failedFuture(new ConflictException(key, expectedVersion, current));
            }
            ConfigView.Outcome outcome = view.apply(key, null);
            if (outcome instanceof ConfigView.Outcome.Applied applied) {
                applied.change().ifPresent(listeners::notify);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public AutoCloseable addListener(String kind, Consumer<Change> listener, boolean replayCurrent) {
        return listeners.add(kind, listener, replayCurrent ? () -> view.list(kind, null) : null);
    }

    @Override
    public void close() {
    }
}
