package io.beacon.control.project;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.Versioned;
import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigJson;
import io.beacon.control.store.ConfigStore;
import io.beacon.control.store.ConflictException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projects of the config store, indexed by id, write key and secret key. The index is updated
 * by a store listener, so a key works as soon as the store has read it (for the writing process:
 * before the write returns; for the others: as soon as their view reads the record, typically
 * milliseconds) and a rotated-out key stops at the same moment.
 *
 * <p>Lookups are non-blocking map reads, safe on HTTP dispatchers and in stream processors. The
 * gateway's {@code WriteKeys} port is {@code directory::projectIdForWriteKey}.
 */
public final class ProjectDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectDirectory.class);

    private final ConfigStore store;
    private final Map<String, Versioned<Project>> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByWriteKey = new ConcurrentHashMap<>();
    private final Map<String, String> idBySecretKey = new ConcurrentHashMap<>();
    private final AutoCloseable registration;

    public ProjectDirectory(ConfigStore store) {
        this.store = store;
        this.registration = store.addListener(Project.KIND, this::onChange, true);
    }

    public Optional<Project> byId(String id) {
        return versioned(id).map(Versioned::value);
    }

    /** The project and the version to send back with an update. */
    public Optional<Versioned<Project>> versioned(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    public Optional<Project> byWriteKey(String writeKey) {
        return writeKey == null ? Optional.empty() : Optional.ofNullable(idByWriteKey.get(writeKey)).flatMap(this::byId);
    }

    public Optional<Project> bySecretKey(String secretKey) {
        return secretKey == null ? Optional.empty() : Optional.ofNullable(idBySecretKey.get(secretKey)).flatMap(this::byId);
    }

    /** The gateway's write-key check: the project id of {@code writeKey}, empty when unknown or revoked. */
    public Optional<String> projectIdForWriteKey(String writeKey) {
        return byWriteKey(writeKey).map(Project::id);
    }

    public List<Project> all() {
        List<Project> out = new ArrayList<>();
        byId.values().forEach(v -> out.add(v.value()));
        out.sort(Comparator.comparing(Project::id));
        return out;
    }

    /**
     * Creates {@code project}.
     *
     * @return a stage failing with {@link InvalidDocumentException} (invalid, or a key already in
     *         use) or {@link ConflictException} (the id exists)
     */
    public CompletionStage<Versioned<Project>> create(Project project) {
        List<FieldError> errors = new ArrayList<>(project.validate());
        errors.addAll(keyClashes(project));
        if (!errors.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidDocumentException(errors));
        }
        return write(project, 0);
    }

    /**
     * Applies {@code change} to the project at {@code expectedVersion}; the id and keys cannot be
     * changed this way (use {@link #rotateKeys}).
     */
    public CompletionStage<Versioned<Project>> update(String id, long expectedVersion, UnaryOperator<Project> change) {
        Optional<Versioned<Project>> current = versioned(id);
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(id));
        }
        Project before = current.get().value();
        Project after = change.apply(before);
        if (!after.id().equals(before.id()) || !after.writeKey().equals(before.writeKey())
                || !after.secretKey().equals(before.secretKey()) || !after.piiSecret().equals(before.piiSecret())) {
            return CompletableFuture.failedFuture(InvalidDocumentException.of("id", "id and keys cannot be changed by an update"));
        }
        List<FieldError> errors = after.validate();
        if (!errors.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidDocumentException(errors));
        }
        return write(after, expectedVersion);
    }

    /**
     * Replaces the write key and/or the secret key with fresh random keys at the current version. The
     * old keys stop working as soon as the store applied the change.
     */
    public CompletionStage<Versioned<Project>> rotateKeys(String id, boolean writeKey, boolean secretKey) {
        Optional<Versioned<Project>> current = versioned(id);
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(id));
        }
        Project p = current.get().value();
        Project rotated = p.withWriteKey(writeKey ? ProjectKeys.newWriteKey() : p.writeKey())
                .withSecretKey(secretKey ? ProjectKeys.newSecretKey() : p.secretKey());
        return write(rotated, current.get().version());
    }

    /**
     * Creates project {@code id} with the given keys unless it exists (used by {@code ./beacon up} to
     * keep the dev project's keys stable). Blocks up to the store's write timeout.
     *
     * @return the project as stored: the existing one (keys unchanged) or the new one
     */
    public Project bootstrapProject(String id, String name, String writeKey, String secretKey) {
        Optional<Project> existing = byId(id);
        if (existing.isPresent()) {
            return existing.get();
        }
        Project p = new Project(id, name, "UTC", EnforcementMode.PERMISSIVE, writeKey, secretKey, ProjectKeys.newPiiSecret());
        try {
            return create(p).toCompletableFuture().join().value();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ConflictException) {
                // another process bootstrapped it at the same moment: theirs counts
                return byId(id).orElseThrow(() -> e);
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private CompletionStage<Versioned<Project>> write(Project project, long expectedVersion) {
        return store.putAsync(Project.key(project.id()), ConfigJson.toDocument(project), expectedVersion)
                .thenApply(entry -> new Versioned<>(entry.as(Project.class), entry.version()));
    }

    private List<FieldError> keyClashes(Project p) {
        List<FieldError> errors = new ArrayList<>();
        if (idByWriteKey.containsKey(p.writeKey()) || idBySecretKey.containsKey(p.writeKey())) {
            errors.add(new FieldError("write_key", "is already in use"));
        }
        if (idBySecretKey.containsKey(p.secretKey()) || idByWriteKey.containsKey(p.secretKey())) {
            errors.add(new FieldError("secret_key", "is already in use"));
        }
        return errors;
    }

    private void onChange(Change change) {
        Optional<Project> before = change.previous().flatMap(this::decode);
        Optional<Project> after = change.current().flatMap(this::decode);
        // Add the new state before removing the old, so a lookup never sees neither.
        after.ifPresent(p -> {
            byId.put(p.id(), new Versioned<>(p, change.current().get().version()));
            idByWriteKey.put(p.writeKey(), p.id());
            idBySecretKey.put(p.secretKey(), p.id());
        });
        before.ifPresent(old -> {
            if (after.isEmpty() || !after.get().writeKey().equals(old.writeKey())) {
                idByWriteKey.remove(old.writeKey(), old.id());
            }
            if (after.isEmpty() || !after.get().secretKey().equals(old.secretKey())) {
                idBySecretKey.remove(old.secretKey(), old.id());
            }
            if (after.isEmpty()) {
                byId.remove(old.id());
            }
        });
    }

    private Optional<Project> decode(ConfigEntry entry) {
        try {
            Project p = entry.as(Project.class);
            if (!p.validate().isEmpty() || !p.id().equals(entry.key().project())) {
                LOG.warn("ignoring invalid project document {}", entry.key());
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring unreadable project document {}", entry.key());
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
