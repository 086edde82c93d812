package io.beacon.control.destinations;

import java.util.Locale;

/** The comparison of an event subscription's {@code where} condition. */
public enum FilterOp {
    /** Equal to the value (strings, numbers, booleans; numbers compare numerically). */
    EQ,
    /** Present and not equal to the value. */
    NEQ,
    /** Present and not null; takes no value. */
    EXISTS,
    /** A number greater than the value. */
    GT,
    /** A number less than the value. */
    LT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but {@code eq}, {@code neq}, {@code exists}, {@code gt}, {@code lt} */
    public static FilterOp fromWire(String wire) {
        for (FilterOp o : values()) {
            if (o.wireName().equals(wire)) {
                return o;
            }
        }
        throw new IllegalArgumentException("must be one of eq, neq, exists, gt, lt");
    }
}
