package io.beacon.abtest.experiment;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.Versioned;
import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigJson;
import io.beacon.control.store.ConfigStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The experiments of the config store (kind {@value Experiment#KIND}), indexed per project by a store
 * listener, with the running ones pre-compiled for assignment. Reads are non-blocking map lookups;
 * writes validate, apply the lifecycle rules and go through the store's optimistic versions (a stale
 * version fails with {@link io.beacon.control.store.ConflictException}).
 */
public final class ExperimentCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentCatalog.class);

    private final ConfigStore store;
    private final LongSupplier clock;
    private final Map<String, Map<String, Versioned<Experiment>>> byProject = new ConcurrentHashMap<>();
    private final Map<String, List<CompiledExperiment>> running = new ConcurrentHashMap<>();
    private final AutoCloseable registration;

    public ExperimentCatalog(ConfigStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
        this.registration = store.addListener(Experiment.KIND, this::onChange, true);
    }

    public ExperimentCatalog(ConfigStore store) {
        this(store, System::currentTimeMillis);
    }

    public Optional<Versioned<Experiment>> get(String project, String key) {
        Map<String, Versioned<Experiment>> m = byProject.get(project);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(key));
    }

    /** Every experiment of {@code project}, ordered by key. */
    public List<Versioned<Experiment>> list(String project) {
        List<Versioned<Experiment>> out = new ArrayList<>(byProject.getOrDefault(project, Map.of()).values());
        out.sort(Comparator.comparing(v -> v.value().key()));
        return out;
    }

    /** The running experiments of {@code project}, compiled, ordered by key. Never blocks. */
    public List<CompiledExperiment> running(String project) {
        return running.getOrDefault(project, List.of());
    }

    /** Creates {@code experiment} (defaults applied; a running one gets its start time). */
    public CompletionStage<Versioned<Experiment>> create(String project, Experiment experiment) {
        Experiment e = stamped(null, experiment.withDefaults());
        List<FieldError> errors = ExperimentRules.validate(e);
        if (!errors.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidDocumentException(errors));
        }
        return write(project, e, 0);
    }

    /** Replaces the experiment {@code key} at {@code expectedVersion} with {@code experiment}. */
    public CompletionStage<Versioned<Experiment>> update(String project, String key, long expectedVersion, Experiment experiment) {
        Optional<Versioned<Experiment>> current = get(project, key);
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new ExperimentNotFoundException(project, key));
        }
        Experiment before = current.get().value();
        Experiment e = stamped(before, experiment.withDefaults());
        List<FieldError> errors = new ArrayList<>(ExperimentRules.validate(e));
        if (errors.isEmpty()) {
            errors.addAll(ExperimentRules.validateChange(before, e));
        }
        if (!errors.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidDocumentException(errors));
        }
        return write(project, e, expectedVersion);
    }

    /**
     * Re-randomizes experiment {@code key}: a new seed and the next bucket version, so every unit is hashed
     * afresh and old sticky assignments no longer apply (with {@code excludePrevious}, units bucketed
     * before are left out of the experiment altogether, GrowthBook's {@code minBucketVersion}).
     */
    public CompletionStage<Versioned<Experiment>> rerandomize(String project, String key, long expectedVersion, boolean excludePrevious) {
        Optional<Versioned<Experiment>> current = get(project, key);
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new ExperimentNotFoundException(project, key));
        }
        Experiment e = current.get().value();
        String seed = e.key() + "-" + (e.bucketVersion() + 1) + "-" + Long.toHexString(clock.getAsLong());
        return write(project, e.withNewRandomization(seed, excludePrevious), expectedVersion);
    }

    public CompletionStage<Void> delete(String project, String key, long expectedVersion) {
        if (get(project, key).isEmpty()) {
            return CompletableFuture.failedFuture(new ExperimentNotFoundException(project, key));
        }
        return store.deleteAsync(Experiment.configKey(project, key), expectedVersion);
    }

    /** Sets start/end times on status changes; explicit times in the document win. */
    private Experiment stamped(Experiment before, Experiment after) {
        Long start = after.startTime() != null ? after.startTime() : before == null ? null : before.startTime();
        Long end = after.endTime() != null ? after.endTime() : before == null ? null : before.endTime();
        boolean starting = after.status() == ExperimentStatus.RUNNING && (before == null || before.status() != ExperimentStatus.RUNNING);
        if (starting && start == null) {
            start = clock.getAsLong();
        }
        if (starting) {
            end = after.endTime();
        }
        if (after.status() == ExperimentStatus.STOPPED && (before == null || before.status() != ExperimentStatus.STOPPED) && after.endTime() == null) {
            end = clock.getAsLong();
        }
        return after.withTimes(start, end);
    }

    private CompletionStage<Versioned<Experiment>> write(String project, Experiment e, long expectedVersion) {
        return store.putAsync(Experiment.configKey(project, e.key()), ConfigJson.toDocument(e), expectedVersion)
                .thenApply(entry -> new Versioned<>(entry.as(Experiment.class).withDefaults(), entry.version()));
    }

    private void onChange(Change change) {
        String project = change.key().project();
        Map<String, Versioned<Experiment>> m = byProject.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
        Optional<Experiment> after = change.current().flatMap(this::decode);
        if (after.isPresent()) {
            m.put(change.key().id(), new Versioned<>(after.get(), change.current().get().version()));
        } else {
            m.remove(change.key().id());
        }
        List<CompiledExperiment> compiled = new ArrayList<>();
        for (Versioned<Experiment> v : m.values()) {
            if (v.value().status() == ExperimentStatus.RUNNING) {
                compiled.add(CompiledExperiment.compile(v.value()));
            }
        }
        compiled.sort(Comparator.comparing(c -> c.experiment().key()));
        running.put(project, List.copyOf(compiled));
    }

    private Optional<Experiment> decode(ConfigEntry entry) {
        try {
            Experiment e = entry.as(Experiment.class).withDefaults();
            if (!ExperimentRules.validate(e).isEmpty() || !e.key().equals(entry.key().id())) {
                LOG.warn("ignoring invalid experiment document {}", entry.key());
                return Optional.empty();
            }
            return Optional.of(e);
        } catch (IllegalArgumentException ex) {
            LOG.warn("ignoring unreadable experiment document {}", entry.key());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            registration.close();
        } catch (Exception e) {
            LOG.debug("listener removal failed", e);
        }
    }
}
