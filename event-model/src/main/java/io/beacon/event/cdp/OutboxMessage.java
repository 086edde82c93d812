package io.beacon.event.cdp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One message for one destination about one person: the value of topic {@code beacon.cdp.outbox} (key
 * {@link #key()}, JSON by {@link CdpCodec}). Written by the connectors' trigger router (and by replays of the
 * connectors' DLQ), delivered by the outbox workers.
 *
 * @param messageId   the idempotency key, {@code msg_…}, derived from the cause by {@link IdempotencyKeys}: a
 *                    replayed trigger yields the same id, and it is the webhook's {@code webhook-id}
 * @param type        what happened, dotted: {@code segment.entered}, {@code segment.exited}, {@code event.matched},
 *                    {@code person.deleted}, {@code test.message} (see {@link MessageTypes})
 * @param createdAtMs when the cause happened (epoch ms); the payload's {@code timestamp}, the same on every attempt
 * @param data        the payload's {@code data} object
 */
public record OutboxMessage(String projectId, String destinationId, String personId, String messageId, String type,
                            long createdAtMs, ObjectNode data) {

    public OutboxMessage {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /**
     * The topic key {@code project:destination:person}: one person's messages to one destination share a
     * partition, so they keep their order; different persons or destinations never wait for each other.
     */
    public String key() {
        return projectId + ":" + destinationId + ":" + personId;
    }
}
