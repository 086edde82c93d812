package io.beacon.analytics.query;

import java.util.List;

/**
 * One filter condition. {@code values} holds the operands as validated Java values: {@link String},
 * {@link Double} or {@link Boolean}; one for comparisons, two for {@code between}, one or more for
 * {@code in}, none for {@code is_set}.
 */
public record Filter(PropertyRef property, FilterOp op, List<Object> values) {
    public Filter {
        values = List.copyOf(values);
    }
}
