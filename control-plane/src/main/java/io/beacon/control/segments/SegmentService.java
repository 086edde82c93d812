package io.beacon.control.segments;

import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and versioned writes of segment definitions in the config store (kind
 * {@value SegmentDefinition#KIND}). Definitions are validated by {@link SegmentJson} before they get
 * here, so every stored document parses; one that does not (written by hand) is skipped with a warning.
 */
public final class SegmentService {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentService.class);

    private final ConfigStore store;
    private final Clock clock;

    public SegmentService(ConfigStore store) {
        this(store, Clock.systemUTC());
    }

    public SegmentService(ConfigStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The project's segments, ordered by id. */
    public List<SegmentDefinition> list(String project) {
        return store.list(SegmentDefinition.KIND, project).stream().flatMap(e -> decode(e).stream()).toList();
    }

    public Optional<SegmentDefinition> get(String project, String id) {
        return store.get(SegmentDefinition.key(project, id)).flatMap(SegmentService::decode);
    }

    /**
     * Writes {@code def} as the next version ({@code expectedVersion} 0 = create); completes with
     * the stored definition (its version and {@code updated_at} set).
     */
    public CompletionStage<SegmentDefinition> put(SegmentDefinition def, long expectedVersion) {
        SegmentDefinition stamped = def.withVersion(0, clock.millis());
        return store.putAsync(def.key(), SegmentJson.toDocument(stamped), expectedVersion)
                .thenApply(SegmentJson::fromEntry);
    }

    public CompletionStage<Void> delete(String project, String id, long expectedVersion) {
        if (expectedVersion < 1) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("version", "must be at least 1 for a delete"));
        }
        return store.deleteAsync(SegmentDefinition.key(project, id), expectedVersion);
    }

    /** A stored entry as a definition; empty (with a warning) when it does not parse. */
    public static Optional<SegmentDefinition> decode(ConfigEntry entry) {
        try {
            return Optional.of(SegmentJson.fromEntry(entry));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable segment document {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
