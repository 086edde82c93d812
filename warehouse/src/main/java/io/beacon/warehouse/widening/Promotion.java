package io.beacon.warehouse.widening;

import java.util.Objects;

/**
 * "Property {@code property} of project {@code projectId} is promoted with type {@code type}": what the
 * registry's owner tells {@link ColumnPromotion}.
 *
 * @param projectId the project whose property definition carries {@code promoted: true}
 * @param property  the property name, exactly as in events' {@code properties}
 * @param type      the property's registered type
 */
public record Promotion(String projectId, String property, PromotedType type) {

    public Promotion {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(type, "type");
        if (projectId.isEmpty() || property.isEmpty()) {
            throw new IllegalArgumentException("project and property must be non-empty");
        }
    }

    /** The column this promotion fills ({@link ColumnNames#columnFor}). */
    public String column() {
        return ColumnNames.columnFor(property);
    }
}
