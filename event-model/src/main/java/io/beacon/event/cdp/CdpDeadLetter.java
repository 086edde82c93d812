package io.beacon.event.cdp;

import java.util.Objects;

/**
 * A message that will not be delivered without a person acting: the value of topic {@code beacon.cdp.dlq}
 * (key = the outbox key, JSON by {@link CdpCodec}). Listed and replayed (by destination, time range and error
 * class) through the connectors' API; a replay puts the same message, with the same id, back on the outbox.
 *
 * @param attempts     attempts made
 * @param errorClass   why it stopped: see {@link ErrorClass}
 * @param lastError    the last attempt's error text (no secrets; bodies truncated)
 * @param lastStatus   the last HTTP status, 0 when there was no response
 * @param failedAtMs   when it was dead-lettered
 */
public record CdpDeadLetter(OutboxMessage message, int attempts, ErrorClass errorClass, String lastError,
                            int lastStatus, long failedAtMs) {

    public CdpDeadLetter {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(errorClass, "errorClass");
    }
}
