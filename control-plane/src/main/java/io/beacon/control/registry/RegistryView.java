package io.beacon.control.registry;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of one project's definitions, pre-indexed for {@link EventValidator} and
 * {@link PiiTransformer}: lookups by name, the set of properties each event lists, and each
 * property's enum values in canonical form. Build one per change, share it across threads.
 */
public final class RegistryView {
    private static final RegistryView EMPTY = new RegistryView(List.of(), List.of());

    private final Map<String, EventDefinition> events;
    private final Map<String, PropertyDefinition> properties;
    private final Map<String, Set<String>> listedByEvent;
    private final Map<String, Set<String>> enumKeysByProperty;
    private final boolean hasPii;

    private RegistryView(Collection<EventDefinition> eventDefs, Collection<PropertyDefinition> propertyDefs) {
        Map<String, EventDefinition> e = new HashMap<>();
        Map<String, Set<String>> listed = new HashMap<>();
        for (EventDefinition def : eventDefs) {
            e.put(def.name(), def);
            Set<String> names = new HashSet<>(def.requiredProperties());
            names.addAll(def.optionalProperties());
            listed.put(def.name(), Set.copyOf(names));
        }
        Map<String, PropertyDefinition> p = new HashMap<>();
        Map<String, Set<String>> enums = new HashMap<>();
        boolean pii = false;
        for (PropertyDefinition def : propertyDefs) {
            p.put(def.name(), def);
            pii |= def.pii() != PiiClass.NONE;
            if (!def.enumValues().isEmpty() && def.type() != null) {
                Set<String> keys = new HashSet<>();
                for (String v : def.enumValues()) {
                    DefinitionRules.enumKey(def.type(), v).ifPresent(keys::add);
                }
                enums.put(def.name(), Set.copyOf(keys));
            }
        }
        this.events = Map.copyOf(e);
        this.properties = Map.copyOf(p);
        this.listedByEvent = Map.copyOf(listed);
        this.enumKeysByProperty = Map.copyOf(enums);
        this.hasPii = pii;
    }

    public static RegistryView of(Collection<EventDefinition> events, Collection<PropertyDefinition> properties) {
        return new RegistryView(events, properties);
    }

    /** No definitions: everything is unknown. */
    public static RegistryView empty() {
        return EMPTY;
    }

    public Optional<EventDefinition> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    public Optional<PropertyDefinition> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    public Collection<EventDefinition> events() {
        return Collections.unmodifiableCollection(events.values());
    }

    public Collection<PropertyDefinition> properties() {
        return Collections.unmodifiableCollection(properties.values());
    }

    /** Whether any property has a PII class other than {@code none} (a fast path for the transformer). */
    public boolean hasPii() {
        return hasPii;
    }

    EventDefinition eventOrNull(String name) {
        return events.get(name);
    }

    PropertyDefinition propertyOrNull(String name) {
        return properties.get(name);
    }

    boolean lists(String event, String property) {
        Set<String> listed = listedByEvent.get(event);
        return listed != null && listed.contains(property);
    }

    Set<String> enumKeys(String property) {
        return enumKeysByProperty.get(property);
    }
}
