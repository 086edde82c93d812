package io.beacon.cdp.dlq;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.control.dlq.DeadLetterPosition;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;

/** Dead letters for the DLQ tests. */
final class CdpDlqFixtures {

    private CdpDlqFixtures() {
    }

    /** A letter of {@code project}/{@code destination} about {@code person}, message id derived from {@code cause}. */
    static CdpDeadLetter letter(String project, String destination, String person, String cause, ErrorClass errorClass,
                                long failedAtMs) {
        OutboxMessage m = new OutboxMessage(project, destination, person,
                IdempotencyKeys.of("test", destination, project, person, cause), MessageTypes.SEGMENT_ENTERED,
                failedAtMs - 60_000, JsonNodeFactory.instance.objectNode().put("segment_id", "seg_vip"));
        return new CdpDeadLetter(m, errorClass == ErrorClass.EXHAUSTED ? 9 : 1, errorClass, "HTTP 503 from receiver",
                503, failedAtMs);
    }

    static CdpDlqEntry entry(int partition, long offset, CdpDeadLetter letter) {
        return new CdpDlqEntry(new DeadLetterPosition(partition, offset), letter);
    }
}
