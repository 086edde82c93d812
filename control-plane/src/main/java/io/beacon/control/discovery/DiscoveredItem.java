package io.beacon.control.discovery;

import io.beacon.control.registry.PropertyType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An unregistered event or property of a project as the topology saw it: how many events carried it,
 * when first and last (the gateway's {@code received_at}, epoch ms) and, for properties, how many
 * values of each observed type. Used both for the running totals and for the deltas the topology
 * aggregates them from ({@link #merge}).
 *
 * @param project    the project id
 * @param kind       event or property
 * @param name       the event or property name
 * @param volume     the number of events that carried it
 * @param firstSeen  the earliest {@code received_at}, epoch ms
 * @param lastSeen   the latest {@code received_at}, epoch ms
 * @param typeCounts non-null values per observed type: the wire names of {@link PropertyType} plus
 *                   {@value #OBJECT} for JSON objects (which no property type accepts); empty for events
 */
public record DiscoveredItem(String project, DiscoveryKind kind, String name, long volume, long firstSeen,
                             long lastSeen, Map<String, Long> typeCounts) {
    /** The {@link #typeCounts} key of JSON object values. */
    public static final String OBJECT = "object";
    private static final Set<PropertyType> WIDENS_TO_STRING =
            EnumSet.of(PropertyType.STRING, PropertyType.NUMBER, PropertyType.BOOLEAN, PropertyType.DATETIME);

    public DiscoveredItem {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        typeCounts = typeCounts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(typeCounts));
    }

    /** One observation of an unregistered event. */
    public static DiscoveredItem event(String project, String name, long seenAt) {
        return new DiscoveredItem(project, DiscoveryKind.EVENT, name, 1, seenAt, seenAt, Map.of());
    }

    /**
     * One observation of an unregistered property.
     *
     * @param observedType the value's type ({@link PropertyType#wireName()} or {@value #OBJECT}), or
     *                     {@code null} for a {@code null} value
     */
    public static DiscoveredItem property(String project, String name, String observedType, long seenAt) {
        return new DiscoveredItem(project, DiscoveryKind.PROPERTY, name, 1, seenAt, seenAt,
                observedType == null ? Map.of() : Map.of(observedType, 1L));
    }

    /** The record key on {@link DiscoveryTopic}: {@code project/kind/name}. */
    public String key() {
        return key(project, kind, name);
    }

    public static String key(String project, DiscoveryKind kind, String name) {
        return project + "/" + kind.wireName() + "/" + name;
    }

    /** This and {@code other} (the same key) added up. */
    public DiscoveredItem merge(DiscoveredItem other) {
        if (other == null) {
            return this;
        }
        if (!key().equals(other.key())) {
            throw new IllegalArgumentException("cannot merge " + other.key() + " into " + key());
        }
        Map<String, Long> counts = new TreeMap<>(typeCounts);
        other.typeCounts.forEach((type, n) -> counts.merge(type, n, Long::sum));
        return new DiscoveredItem(project, kind, name, volume + other.volume, Math.min(firstSeen, other.firstSeen),
                Math.max(lastSeen, other.lastSeen), counts);
    }

    /**
     * The type a definition should get, from the observed values. Nothing is guessed beyond what
     * {@code TypeCoercion} would accept for every value seen:
     * <ol>
     *   <li>one type observed → that type;</li>
     *   <li>several scalar types (string, number, boolean, datetime) → {@code string}, which accepts all of them;</li>
     *   <li>lists mixed with scalars (no type accepts both) → the most frequent, ties to the earlier type;</li>
     *   <li>only objects, only {@code null}s, or an event → empty.</li>
     * </ol>
     */
    public Optional<PropertyType> inferredType() {
        if (kind != DiscoveryKind.PROPERTY) {
            return Optional.empty();
        }
        Set<PropertyType> seen = EnumSet.noneOf(PropertyType.class);
        PropertyType mostFrequent = null;
        long best = 0;
        for (PropertyType t : PropertyType.values()) {
            long n = typeCounts.getOrDefault(t.wireName(), 0L);
            if (n > 0) {
                seen.add(t);
                if (n > best) {
                    best = n;
                    mostFrequent = t;
                }
            }
        }
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        if (seen.size() == 1) {
            return Optional.of(seen.iterator().next());
        }
        if (WIDENS_TO_STRING.containsAll(seen)) {
            return Optional.of(PropertyType.STRING);
        }
        return Optional.of(mostFrequent);
    }
}
