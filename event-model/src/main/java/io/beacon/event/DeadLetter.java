package io.beacon.event;

import java.util.Objects;

/**
 * A record the pipeline refused, as written to {@code beacon.events.dlq}: why (a stable code,
 * a message, the field), where (the stage and the source topic/partition/offset) and the original
 * bytes, so that it can be inspected and replayed. Nothing is ever dropped without one of these.
 *
 * @param code        the reason code
 * @param message     a human explanation
 * @param field       the offending field, or {@code null}
 * @param stage       the topology stage that refused it ("parse", "map", …)
 * @param projectId   the project, when it could be read
 * @param eventId     the event id, when it could be read
 * @param sourceTopic where the record was read from
 * @param partition   its partition
 * @param offset      its offset
 * @param failedAt    when it was refused, epoch ms
 * @param original    the original record value, byte for byte (Base64 in JSON)
 */
public record DeadLetter(
        RejectionCode code,
        String message,
        String field,
        String stage,
        String projectId,
        String eventId,
        String sourceTopic,
        int partition,
        long offset,
        long failedAt,
        byte[] original) {

    public DeadLetter {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(original, "original");
    }
}
