package io.beacon.analytics.query;

import java.util.List;

/**
 * One filter condition. {@code values} holds the operands as validated Java values: {@link String},
 * {@link Double} or {@link Boolean}; one for comparisons, two for {@code between}, one or more for
 * {@code in}, none for {@code is_set}. A cohort filter ({@link #cohort}) has no values and carries the SQL of
 * the cohort's members in {@code cohortSql} ({@code null} for every other filter).
 */
public record Filter(PropertyRef property, FilterOp op, List<Object> values, String cohortSql) {
    public Filter {
        values = List.copyOf(values);
    }

    /** A property filter. */
    public Filter(PropertyRef property, FilterOp op, List<Object> values) {
        this(property, op, values, null);
    }

    /**
     * "The row's person is ({@code in}) / is not ({@code not_in}) in cohort {@code cohortId}", whose members
     * are the resolved person ids {@code membersSql} selects (built by the cohorts module, already safe SQL).
     */
    public static Filter cohort(String cohortId, boolean in, String membersSql) {
        return new Filter(new PropertyRef(PropertyRef.Kind.COHORT, cohortId), in ? FilterOp.IN : FilterOp.NOT_IN, List.of(), membersSql);
    }
}
