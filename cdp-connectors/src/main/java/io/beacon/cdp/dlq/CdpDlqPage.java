package io.beacon.cdp.dlq;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing ({@link CdpDlqBrowser#list}).
 *
 * @param letters    at most {@code limit} matching letters, in partition then offset order
 * @param nextCursor where the next page starts; empty when this page reached the end of the DLQ
 * @param scanned    DLQ records read for this page
 * @param unreadable DLQ records read whose value was not a dead letter (never shown, never replayed)
 * @param truncated  reading stopped at the scan bound before the end (the cursor is then empty too)
 */
public record CdpDlqPage(List<CdpDlqEntry> letters, Optional<CdpDlqCursor> nextCursor, long scanned,
                         long unreadable, boolean truncated) {

    public CdpDlqPage {
        letters = List.copyOf(letters);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
