package io.beacon.control.registry;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.Versioned;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigJson;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads and versioned writes of registry documents. Every write is validated by
 * {@link DefinitionRules} first: an invalid document fails with {@link InvalidDocumentException} and
 * nothing is produced.
 */
public final class RegistryService {
    private final ConfigStore store;

    public RegistryService(ConfigStore store) {
        this.store = store;
    }

    public List<Versioned<EventDefinition>> events(String project) {
        return list(EventDefinition.KIND, project, EventDefinition.class);
    }

    public Optional<Versioned<EventDefinition>> event(String project, String name) {
        return get(EventDefinition.key(project, name), EventDefinition.class);
    }

    /** Creates ({@code expectedVersion == 0}) or updates the event definition. */
    public CompletionStage<Versioned<EventDefinition>> putEvent(String project, EventDefinition def, long expectedVersion) {
        return put(EventDefinition.key(project, nameOr(def.name())), def, DefinitionRules::validate, expectedVersion, EventDefinition.class);
    }

    public CompletionStage<Void> deleteEvent(String project, String name, long expectedVersion) {
        return store.deleteAsync(EventDefinition.key(project, name), expectedVersion);
    }

    public List<Versioned<PropertyDefinition>> properties(String project) {
        return list(PropertyDefinition.KIND, project, PropertyDefinition.class);
    }

    public Optional<Versioned<PropertyDefinition>> property(String project, String name) {
        return get(PropertyDefinition.key(project, name), PropertyDefinition.class);
    }

    /** Creates ({@code expectedVersion == 0}) or updates the property definition. */
    public CompletionStage<Versioned<PropertyDefinition>> putProperty(String project, PropertyDefinition def, long expectedVersion) {
        return put(PropertyDefinition.key(project, nameOr(def.name())), def, DefinitionRules::validate, expectedVersion, PropertyDefinition.class);
    }

    public CompletionStage<Void> deleteProperty(String project, String name, long expectedVersion) {
        return store.deleteAsync(PropertyDefinition.key(project, name), expectedVersion);
    }

    private <T> CompletionStage<Versioned<T>> put(ConfigKey key, T def, Function<T, List<FieldError>> rules,
                                                  long expectedVersion, Class<T> type) {
        List<FieldError> errors = rules.apply(def);
        if (!errors.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidDocumentException(errors));
        }
        return store.putAsync(key, ConfigJson.toDocument(def), expectedVersion)
                .thenApply(entry -> new Versioned<>(entry.as(type), entry.version()));
    }

    private <T> List<Versioned<T>> list(String kind, String project, Class<T> type) {
        return store.list(kind, project).stream().flatMap(e -> decode(e, type).stream()).toList();
    }

    private <T> Optional<Versioned<T>> get(ConfigKey key, Class<T> type) {
        return store.get(key).flatMap(e -> decode(e, type));
    }

    private static <T> Optional<Versioned<T>> decode(ConfigEntry entry, Class<T> type) {
        try {
            return Optional.of(new Versioned<>(entry.as(type), entry.version()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Keys need a non-empty id; an invalid name is reported by validation before any key is used. */
    private static String nameOr(String name) {
        return name == null || name.isEmpty() ? "_" : name;
    }
}
