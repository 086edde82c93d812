package io.beacon.abtest.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a metric turns a unit's events in the window after its first exposure into one number:
 * {@link #CONVERSION} 1 when there is at least one event, else 0; {@link #COUNT} the number of events;
 * {@link #SUM} the sum of a numeric property; {@link #REVENUE} the sum of the {@code revenue} property
 * (or the one named). Analyses compare the per-unit mean of that number across variations.
 */
public enum MetricType {
    CONVERSION, COUNT, SUM, REVENUE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MetricType fromWire(String value) {
        for (MetricType t : values()) {
            if (t.wireName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of conversion, count, sum, revenue");
    }

    public boolean needsProperty() {
        return this == SUM || this == REVENUE;
    }
}
