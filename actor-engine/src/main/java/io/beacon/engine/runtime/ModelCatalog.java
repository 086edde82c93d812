package io.beacon.engine.runtime;

import io.beacon.engine.scoring.ActiveModels;
import io.beacon.engine.scoring.ScoringSettings;
import io.beacon.engine.scoring.TaskModels;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.ModelRefusedException;
import io.beacon.ml.Task;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.registry.ModelStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link ScoringSource}: the active models per project, swapped by {@link #apply} (a promotion, a
 * rollback, a challenger change) from the config listener. Each project's models are one immutable
 * {@link ActiveModels} in an {@link AtomicReference}; a swap replaces it whole, and entities read the reference
 * once per scoring, so a swap needs no restart and drops no event (a user scored during the swap gets the old or
 * the new version, never a mix). Models are loaded only from the {@link ModelStore}'s directory; a refused model
 * ({@link ModelRefusedException}: corrupt, tampered, wrong task, other features, outside the directory) leaves the
 * previous models in place, is logged and counted, and stays visible as {@link #lastRefusal()}. Thread-safe.
 */
public final class ModelCatalog implements ScoringSource {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    /** The feature definition a project's task is served with: a model trained on another is refused. */
    @FunctionalInterface
    public interface ServingSpecs {
        FeatureSpec specFor(String projectId, Task task);

        /** The same spec for every project and task. */
        static ServingSpecs fixed(FeatureSpec spec) {
            return (projectId, task) -> spec;
        }
    }

    /** A model the catalog refused (the previous one kept scoring). */
    public record Refusal(String projectId, Task task, String version, String code, String message, long atMs) {
    }

    /** What a project's task is served with now (for readiness and the API). */
    public record Active(String championVersion, String challengerVersion, double challengerShare) {
    }

    private final ModelStore store;
    private final ServingSpecs specs;
    private final ScoringSettings settings;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, AtomicReference<ActiveModels>> byProject = new ConcurrentHashMap<>();
    private final AtomicReference<Refusal> lastRefusal = new AtomicReference<>();
    private final LongAdder refused = new LongAdder();

    /**
     * @param settings the thresholds come from here; {@code specs} decides the serving features
     */
    public ModelCatalog(ModelStore store, ServingSpecs specs, ScoringSettings settings, LongSupplier clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A catalog serving {@link ScoringSettings#servingSpec()} for every project, on the wall clock. */
    public ModelCatalog(ModelStore store, ScoringSettings settings) {
        this(store, ServingSpecs.fixed(settings.servingSpec()), settings, System::currentTimeMillis);
    }

    @Override
    public Optional<ActiveModels> forProject(String projectId) {
        AtomicReference<ActiveModels> ref = byProject.get(projectId);
        if (ref == null) {
            return Optional.empty();
        }
        ActiveModels m = ref.get();
        return m.isEmpty() ? Optional.empty() : Optional.of(m);
    }

    /** Makes {@code version} the champion of {@code task} in {@code projectId}, without a challenger. */
    public Optional<Refusal> promote(String projectId, Task task, String version) {
        return apply(projectId, task, version, null, 0);
    }

    /**
     * Serves {@code task} of {@code projectId} with champion {@code version} ({@code null}: stop scoring the task)
     * and, when {@code challengerVersion} is not null, that challenger for the users in {@code share} (in [0, 1]).
     * Both are loaded and checked before anything changes.
     *
     * @return empty when applied; the refusal when a model was refused (then nothing changed)
     */
    public Optional<Refusal> apply(String projectId, Task task, String version, String challengerVersion, double share) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(task, "task");
        if (version == null) {
            byProject.computeIfAbsent(projectId, p -> new AtomicReference<>(ActiveModels.NONE)).updateAndGet(m -> m.without(task));
            LOG.info("project {}: no model scores {} any more", projectId, task.id());
            return Optional.empty();
        }
        if (!(share >= 0 && share <= 1)) {
            return Optional.of(refuse(projectId, task, challengerVersion, "challenger_share_invalid",
                    "the challenger share is in [0, 1], was " + share));
        }
        FeatureSpec spec = specs.specFor(projectId, task);
        LoadedModel champion;
        LoadedModel challenger = null;
        String loading = version;
        try {
            champion = store.load(version, task, spec);
            if (challengerVersion != null) {
                loading = challengerVersion;
                challenger = store.load(challengerVersion, task, spec);
            }
        } catch (ModelRefusedException e) {
            return Optional.of(refuse(projectId, task, loading, e.code(), e.getMessage()));
        }
        TaskModels models = TaskModels.of(champion, challenger, share, settings.threshold(task));
        byProject.computeIfAbsent(projectId, p -> new AtomicReference<>(ActiveModels.NONE)).updateAndGet(m -> m.with(models));
        EngineMetrics.MODEL_SWAPS.increment();
        LOG.info("project {}: {} scored by {}{}", projectId, task.id(), version,
                challengerVersion == null ? "" : " (challenger " + challengerVersion + " for " + share * 100 + " % of users)");
        return Optional.empty();
    }

    private Refusal refuse(String projectId, Task task, String version, String code, String message) {
        Refusal r = new Refusal(projectId, task, version, code, message, clock.getAsLong());
        lastRefusal.set(r);
        refused.increment();
        EngineMetrics.MODEL_REFUSALS.increment();
        LOG.warn("project {}: model {} for {} refused, the previous model keeps scoring: {}", projectId, version, task.id(), message);
        return r;
    }

    /** The last refused model, empty when none was. */
    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal.get());
    }

    /** Models this catalog refused. */
    public long refusals() {
        return refused.sum();
    }

    /** What {@code projectId} is served with now, per task. */
    public Map<Task, Active> active(String projectId) {
        Map<Task, Active> out = new TreeMap<>();
        forProject(projectId).ifPresent(m -> m.all().forEach(t ->
                out.put(t.task(), new Active(t.championVersion(), t.challengerVersion(), t.challengerShare()))));
        return out;
    }

    public ModelStore store() {
        return store;
    }
}
