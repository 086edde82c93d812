package io.beacon.control.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Versioned JSON documents keyed {@code kind/project/id}, materialized in memory (see the package
 * documentation for the wire format and the conflict rule).
 *
 * <p>Reads ({@link #get}, {@link #list}) never block and answer from the local view. Writes are
 * optimistic: {@code expectedVersion} must be the current version (0 = the document must not
 * exist), otherwise {@link ConflictException}. A successful write returns only once the local view
 * holds the new version (read-your-writes). The blocking variants wait at most the configured write
 * timeout; the {@code *Async} variants never block the caller (use them on HTTP dispatchers).
 *
 * <p>Implementations: {@link KafkaConfigStore} (production) and {@link InMemoryConfigStore} (tests).
 */
public interface ConfigStore extends AutoCloseable {

    /** Starts the store and blocks until its view caught up with the topic (or fails). */
    void start();

    /** Whether the view has caught up with the topic as it was at {@link #start()}. */
    boolean isReady();

    Optional<ConfigEntry> get(ConfigKey key);

    /** The documents of {@code kind} in {@code project}, ordered by id. */
    List<ConfigEntry> list(String kind, String project);

    /** The documents of {@code kind} in every project, ordered by project then id. */
    List<ConfigEntry> list(String kind);

    /**
     * Writes {@code document} (a JSON object; its {@code version} field is set by the store) as the
     * next version of {@code key}.
     */
    CompletionStage<ConfigEntry> putAsync(ConfigKey key, JsonNode document, long expectedVersion);

    /** Deletes {@code key}, whose current version must be {@code expectedVersion} (&ge; 1). */
    CompletionStage<Void> deleteAsync(ConfigKey key, long expectedVersion);

    /**
     * Calls {@code listener} with every change of a document of {@code kind} applied from now on,
     * on the store's thread, in topic order. With {@code replayCurrent} it is first called with a
     * {@code CREATED} change for every current document, atomically with the registration, so no
     * change is missed or seen twice. Listeners must be quick and must not call the write methods
     * synchronously.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable addListener(String kind, Consumer<Change> listener, boolean replayCurrent);

    default AutoCloseable addListener(String kind, Consumer<Change> listener) {
        return addListener(kind, listener, false);
    }

    /** {@link #putAsync} and wait for the result. */
    default ConfigEntry put(ConfigKey key, JsonNode document, long expectedVersion) {
        return Futures.await(putAsync(key, document, expectedVersion));
    }

    default ConfigEntry put(String kind, String project, String id, JsonNode document, long expectedVersion) {
        return put(ConfigKey.of(kind, project, id), document, expectedVersion);
    }

    /** {@link #deleteAsync} and wait for the result. */
    default void delete(ConfigKey key, long expectedVersion) {
        Futures.await(deleteAsync(key, expectedVersion));
    }

    /** Stops the store; pending writes fail with {@link ConfigStoreUnavailableException}. */
    @Override
    void close();
}
