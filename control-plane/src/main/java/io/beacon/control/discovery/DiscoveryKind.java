package io.beacon.control.discovery;

import java.util.Locale;
import java.util.Optional;

/** What was discovered: an event name or a property name without a definition. */
public enum DiscoveryKind {
    EVENT, PROPERTY;

    /** {@code event} / {@code property}, as in keys, JSON and URLs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; empty for anything else. */
    public static Optional<DiscoveryKind> fromWire(String value) {
        for (DiscoveryKind k : values()) {
            if (k.wireName().equals(value)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
