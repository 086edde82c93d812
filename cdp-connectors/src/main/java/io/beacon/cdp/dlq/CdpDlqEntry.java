package io.beacon.cdp.dlq;

import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.event.cdp.CdpDeadLetter;
import java.util.Objects;

/**
 * One record of {@code beacon.cdp.dlq}: where it sits and the dead letter it holds.
 *
 * @param position where it sits in the DLQ topic
 * @param letter   the decoded value
 */
public record CdpDlqEntry(DeadLetterPosition position, CdpDeadLetter letter) {

    public CdpDlqEntry {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(letter, "letter");
    }

    /**
     * The replay marker's key of this letter: {@code message_id@failed_at_ms}. A letter is replayed once per
     * failure: if the replayed message fails again it comes back as a new letter (a later failed_at), which is
     * replayable again.
     */
    public String replayKey() {
        return letter.message().messageId() + "@" + letter.failedAtMs();
    }
}
