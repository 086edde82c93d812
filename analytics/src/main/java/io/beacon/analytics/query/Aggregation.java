package io.beacon.analytics.query;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a trend series computes per bucket. Property aggregations read the property's text as a number
 * ({@code FilterSql.numeric}: a JSON number) and ignore events where it is absent or not a number; quantiles are
 * ClickHouse's {@code quantileExact(level)}: the element at index {@code floor(level × n)} (0-based) of the
 * sorted values.
 */
public enum Aggregation {
    TOTAL("total", false), UNIQUE_PERSONS("unique_persons", false), PER_PERSON_AVG("per_person_avg", false),
    SUM("sum", true), AVG("avg", true), MIN("min", true), MAX("max", true),
    MEDIAN("median", true), P90("p90", true), P99("p99", true);

    private final String wire;
    private final boolean needsProperty;

    Aggregation(String wire, boolean needsProperty) {
        this.wire = wire;
        this.needsProperty = needsProperty;
    }

    public String wire() {
        return wire;
    }

    public boolean needsProperty() {
        return needsProperty;
    }

    public boolean needsPerson() {
        return this == UNIQUE_PERSONS || this == PER_PERSON_AVG;
    }

    public static Optional<Aggregation> fromWire(String wire) {
        return Arrays.stream(values()).filter(a -> a.wire.equals(wire)).findFirst();
    }

    /** The aggregate over a row set with columns {@code person} and {@code v} (numeric, nullable). */
    public String sql() {
        return switch (this) {
            case TOTAL -> "toFloat64(count())";
            case UNIQUE_PERSONS -> "toFloat64(uniqExact(person))";
            case PER_PERSON_AVG -> "count() / uniqExact(person)";
            case SUM -> "sum(v)";
            case AVG -> "avg(v)";
            case MIN -> "min(v)";
            case MAX -> "max(v)";
            case MEDIAN -> "quantileExact(0.5)(v)";
            case P90 -> "quantileExact(0.9)(v)";
            case P99 -> "quantileExact(0.99)(v)";
        };
    }
}
