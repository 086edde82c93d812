package io.beacon.control.dlq;

import io.beacon.event.DeadLetter;
import java.util.Objects;

/**
 * One record of the DLQ topic: its position and the {@link DeadLetter} it holds.
 *
 * @param position where it sits in the DLQ topic
 * @param letter   the decoded value
 */
public record DeadLetterRecord(DeadLetterPosition position, DeadLetter letter) {

    public DeadLetterRecord {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(letter, "letter");
    }
}
