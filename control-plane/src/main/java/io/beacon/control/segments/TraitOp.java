package io.beacon.control.segments;

import java.util.Locale;
import java.util.Optional;

/**
 * How a trait is compared; JSON {@code eq, neq, contains, gt, lt, is_set, is_not_set}. The exact
 * semantics (types, missing traits) are {@code io.beacon.engine.segments.SegmentEvaluator}'s and are
 * documented in docs/segments.md.
 */
public enum TraitOp {
    EQ, NEQ, CONTAINS, GT, LT, IS_SET, IS_NOT_SET;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the operator compares against a {@code value} (all but {@code is_set}/{@code is_not_set}). */
    public boolean needsValue() {
        return this != IS_SET && this != IS_NOT_SET;
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
