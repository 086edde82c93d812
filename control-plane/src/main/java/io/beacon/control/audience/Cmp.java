package io.beacon.control.audience;

import java.util.Locale;
import java.util.Optional;

/** A numeric comparison {@code actual <op> expected}; JSON {@code gte, gt, lte, lt, eq}. */
public enum Cmp {
    GTE, GT, LTE, LT, EQ;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Cmp> fromWire(String text) {
        for (Cmp c : values()) {
            if (c.wireName().equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code actual <op> expected} holds. */
    public boolean test(double actual, double expected) {
        return switch (this) {
            case GTE -> actual >= expected;
            case GT -> actual > expected;
            case LTE -> actual <= expected;
            case LT -> actual < expected;
            case EQ -> actual == expected;
        };
    }

    /** Whether {@code actual <op> expected} holds, on exact integers. */
    public boolean test(long actual, long expected) {
        return switch (this) {
            case GTE -> actual >= expected;
            case GT -> actual > expected;
            case LTE -> actual <= expected;
            case LT -> actual < expected;
            case EQ -> actual == expected;
        };
    }
}
