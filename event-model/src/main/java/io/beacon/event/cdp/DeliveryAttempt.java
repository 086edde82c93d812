package io.beacon.event.cdp;

import java.util.Locale;
import java.util.Objects;

/**
 * One delivery attempt, for the delivery log: the value of topic {@code beacon.cdp.deliveries} (key = the outbox
 * key, JSON by {@link CdpCodec}), copied by the warehouse sink into ClickHouse {@code deliveries}.
 *
 * @param status       the HTTP status, 0 when there was no response (timeout, connection refused, blocked)
 * @param outcome      what the attempt led to
 * @param latencyMs    request sent → response (or failure) in ms
 * @param error        the failure, {@code null} for a success
 * @param responseBody the receiver's body, truncated (at most {@link CdpCodec#MAX_RESPONSE_BODY} characters)
 */
public record DeliveryAttempt(String projectId, String destinationId, String personId, String messageId,
                              String type, int attempt, long atMs, int status, Outcome outcome, long latencyMs,
                              String error, String responseBody) {

    /** What an attempt led to. */
    public enum Outcome {
        /** 2xx: done. */
        DELIVERED,
        /** Failed and scheduled again. */
        RETRY,
        /** 429/502/503/504: scheduled again, honouring Retry-After, and the destination slowed down. */
        THROTTLED,
        /** Failed for good: dead-lettered. */
        DEAD_LETTERED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DeliveryAttempt {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
