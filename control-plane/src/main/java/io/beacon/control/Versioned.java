package io.beacon.control;

import java.util.Objects;

/**
 * A typed document with the store version it was read at; send the version back with an update.
 */
public record Versioned<T>(T value, long version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
    }
}
