package io.beacon.control.audience;

import java.util.Locale;
import java.util.Optional;

/**
 * How a trait (person property) is compared; JSON {@code eq, neq, contains, not_contains, regex, not_regex, gt, gte,
 * lt, lte, between, in, not_in, is_set, is_not_set}. The semantics are in docs/audiences.md ("Traits"); the engine
 * evaluates all but the regular expressions ({@link #realtime}).
 */
public enum TraitOp {
    EQ, NEQ, CONTAINS, NOT_CONTAINS, REGEX, NOT_REGEX, GT, GTE, LT, LTE, BETWEEN, IN, NOT_IN, IS_SET, IS_NOT_SET;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the operator compares against a {@code value} (all but {@code is_set}/{@code is_not_set}). */
    public boolean needsValue() {
        return this != IS_SET && this != IS_NOT_SET;
    }

    /**
     * Whether the engine evaluates it: regular expressions are query-time only (ClickHouse's RE2 and Java's
     * {@code java.util.regex} differ on too much syntax for a rule to mean the same on both sides).
     */
    public boolean realtime() {
        return this != REGEX && this != NOT_REGEX;
    }

    /** Whether a user without the trait matches (the negative operators; docs/audiences.md). */
    public boolean matchesMissing() {
        return this == NEQ || this == NOT_CONTAINS || this == NOT_REGEX || this == NOT_IN || this == IS_NOT_SET;
    }

    public static Optional<TraitOp> fromWire(String text) {
        for (TraitOp o : values()) {
            if (o.wireName().equals(text)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
