package io.beacon.control.models;

import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes {@link ModelPromotion} documents; the API checks the model files before it calls a write. */
public final class ModelPromotionService {
    private static final Logger LOG = LoggerFactory.getLogger(ModelPromotionService.class);

    private final ConfigStore store;
    private final Clock clock;

    public ModelPromotionService(ConfigStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The project's promotions (at most one per task), ordered by task. */
    public List<ModelPromotion> list(String projectId) {
        return store.list(ModelPromotion.KIND, projectId).stream().flatMap(e -> decode(e).stream()).toList();
    }

    public Optional<ModelPromotion> get(String projectId, String task) {
        return store.get(ModelPromotion.key(projectId, task)).flatMap(ModelPromotionService::decode);
    }

    /**
     * Makes {@code version} the champion of {@code task} (the current champion becomes the previous version; a
     * challenger is kept unless it is the version promoted). Completes with the stored promotion.
     */
    public CompletionStage<ModelPromotion> promote(String projectId, String task, String version) {
        Optional<ModelPromotion> now = get(projectId, task);
        String previous = now.map(ModelPromotion::version).filter(v -> !v.equals(version)).orElse(now.map(ModelPromotion::previousVersion).orElse(null));
        String challenger = now.map(ModelPromotion::challengerVersion).filter(c -> !c.equals(version)).orElse(null);
        double share = challenger == null ? 0 : now.get().challengerShare();
        return write(new ModelPromotion(projectId, task, version, challenger, share, previous, clock.millis(), 0), now);
    }

    /** Sets ({@code challengerVersion} not null) or removes the challenger of the task's current champion. */
    public CompletionStage<ModelPromotion> challenger(String projectId, String task, String challengerVersion, double share) {
        ModelPromotion now = get(projectId, task).orElseThrow(() ->
                InvalidDocumentException.of("task", "has no champion model yet: promote one first"));
        return write(new ModelPromotion(projectId, task, now.version(), challengerVersion, challengerVersion == null ? 0 : share,
                now.previousVersion(), clock.millis(), 0), Optional.of(now));
    }

    private CompletionStage<ModelPromotion> write(ModelPromotion p, Optional<ModelPromotion> now) {
        return store.putAsync(p.key(), p.toDocument(), now.map(ModelPromotion::storeVersion).orElse(0L))
                .thenApply(ModelPromotion::fromEntry);
    }

    /** A stored entry as a promotion; empty (with a warning) when it does not parse. */
    public static Optional<ModelPromotion> decode(ConfigEntry entry) {
        try {
            return Optional.of(ModelPromotion.fromEntry(entry));
        } catch (InvalidDocumentException e) {
            LOG.warn("ignoring unreadable model promotion {}: {}", entry.key(), e.getMessage());
            return Optional.empty();
        }
    }
}
