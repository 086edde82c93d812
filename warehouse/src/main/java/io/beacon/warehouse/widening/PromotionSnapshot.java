package io.beacon.warehouse.widening;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable state of widening, as the sink sees it at one moment: every promoted column known to
 * exist in {@code events} (with its type and the property it holds) and, per project, the promotions
 * whose columns the sink fills. A column appears here only after its {@code ADD COLUMN} succeeded, so a
 * row built from a snapshot never names a column the table lacks.
 */
public final class PromotionSnapshot {

    /** No promoted columns: rows have only the base columns. */
    public static final PromotionSnapshot EMPTY = new PromotionSnapshot(Map.of(), Map.of());

    /** A column known to exist, the property it holds and its type. */
    public record Column(String name, String property, PromotedType type) {
    }

    private final Map<String, Column> columns;
    private final Map<String, Map<String, Promotion>> active;

    private PromotionSnapshot(Map<String, Column> columns, Map<String, Map<String, Promotion>> active) {
        this.columns = columns;
        this.active = active;
    }

    /** Every known promoted column by name, in name order (filled for some project or not). */
    public Map<String, Column> columns() {
        return columns;
    }

    /** The column named {@code name}, if known. */
    public Optional<Column> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** The active promotions of {@code projectId}, by property name (empty when none). */
    public Map<String, Promotion> promotionsOf(String projectId) {
        return active.getOrDefault(projectId, Map.of());
    }

    /** The active promotion of {@code property} in {@code projectId}, if any. */
    public Optional<Promotion> promotion(String projectId, String property) {
        return Optional.ofNullable(promotionsOf(projectId).get(property));
    }

    /** Every active promotion, by project then property. */
    public List<Promotion> activePromotions() {
        List<Promotion> all = new ArrayList<>();
        new TreeMap<>(active).values().forEach(byProperty -> all.addAll(new TreeMap<>(byProperty).values()));
        return all;
    }

    /** A copy that knows {@code column}. */
    PromotionSnapshot withColumn(Column column) {
        Map<String, Column> copy = new TreeMap<>(columns);
        copy.put(column.name(), column);
        return new PromotionSnapshot(Collections.unmodifiableMap(copy), active);
    }

    /** A copy where {@code promotion} is active (its column must be known). */
    PromotionSnapshot withActive(Promotion promotion) {
        Map<String, Map<String, Promotion>> copy = new LinkedHashMap<>(active);
        Map<String, Promotion> ofProject = new LinkedHashMap<>(copy.getOrDefault(promotion.projectId(), Map.of()));
        ofProject.put(promotion.property(), promotion);
        copy.put(promotion.projectId(), Collections.unmodifiableMap(ofProject));
        return new PromotionSnapshot(columns, Collections.unmodifiableMap(copy));
    }

    /** A copy where {@code property} of {@code projectId} is not active. */
    PromotionSnapshot withoutActive(String projectId, String property) {
        if (!promotionsOf(projectId).containsKey(property)) {
            return this;
        }
        Map<String, Map<String, Promotion>> copy = new LinkedHashMap<>(active);
        Map<String, Promotion> ofProject = new LinkedHashMap<>(copy.get(projectId));
        ofProject.remove(property);
        if (ofProject.isEmpty()) {
            copy.remove(projectId);
        } else {
            copy.put(projectId, Collections.unmodifiableMap(ofProject));
        }
        return new PromotionSnapshot(columns, Collections.unmodifiableMap(copy));
    }

    @Override
    public String toString() {
        return "PromotionSnapshot[columns=" + columns.keySet() + ", active=" + activePromotions() + "]";
    }
}
