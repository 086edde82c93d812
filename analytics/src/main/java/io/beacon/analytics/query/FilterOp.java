package io.beacon.analytics.query;

import java.util.Arrays;
import java.util.Optional;

/** Filter operators and their wire names. */
public enum FilterOp {
    EQ("eq"), NEQ("neq"), CONTAINS("contains"), NOT_CONTAINS("not_contains"), REGEX("regex"), NOT_REGEX("not_regex"),
    GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), BETWEEN("between"), IS_SET("is_set"), IS_NOT_SET("is_not_set"),
    IN("in"), NOT_IN("not_in");

    private final String wire;

    FilterOp(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<FilterOp> fromWire(String wire) {
        return Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
    }

    /** Operators that are the negation of a positive one (person-property filters use NOT IN of the positive set). */
    public boolean negative() {
        return this == NEQ || this == NOT_CONTAINS || this == NOT_REGEX || this == IS_NOT_SET || this == NOT_IN;
    }

    /** The positive operator of a negative one. */
    public FilterOp positive() {
        return switch (this) {
            case NEQ -> EQ;
            case NOT_CONTAINS -> CONTAINS;
            case NOT_REGEX -> REGEX;
            case IS_NOT_SET -> IS_SET;
            case NOT_IN -> IN;
            default -> this;
        };
    }
}
