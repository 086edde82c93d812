package io.beacon.event;

/** The outcome of mapping one received item: an {@link Event} or a {@link Rejection}. */
public sealed interface MappingResult {
    record Mapped(Event event) implements MappingResult {
    }

    record Rejected(Rejection rejection) implements MappingResult {
    }
}
