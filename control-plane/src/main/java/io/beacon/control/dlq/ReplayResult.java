package io.beacon.control.dlq;

import java.util.List;

/**
 * What a replay did.
 *
 * @param replayed  the DLQ positions whose original bytes were produced to the raw topic (acknowledged)
 * @param skipped   selected letters (or requested ids/positions) that were not replayed, with the reason
 */
public record ReplayResult(List<DeadLetterPosition> replayed, List<Skipped> skipped) {

    /** Why a letter was not replayed; {@link #reason()} is one of the constants below. */
    public record Skipped(DeadLetterPosition position, String eventId, String code, String stage, String reason,
                          String message) {
    }

    /** The stage did not read raw envelopes (e.g. {@code sink}: the bytes are a canonical event). */
    public static final String NOT_REPLAYABLE_STAGE = "NOT_REPLAYABLE_STAGE";
    /** The letter holds no original bytes. */
    public static final String NO_ORIGINAL = "NO_ORIGINAL";
    /** Another selected letter of the same event is replayed in this call (dedup would drop it anyway). */
    public static final String DUPLICATE_EVENT = "DUPLICATE_EVENT";
    /** A requested event id or position is not in the DLQ (or belongs to another project). */
    public static final String NOT_FOUND = "NOT_FOUND";

    public ReplayResult {
        replayed = List.copyOf(replayed);
        skipped = List.copyOf(skipped);
    }

    public int replayedCount() {
        return replayed.size();
    }
}
