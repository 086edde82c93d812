package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What the gateway writes to {@code beacon.events.raw}: one received item exactly as the client
 * sent it (with batch-level {@code context}/{@code sentAt} merged in and the call type filled in),
 * plus the fields only the server knows. The topology maps it to an {@link Event} with the same
 * {@link EventMapper} the gateway used to validate it, so both agree by construction.
 *
 * @param projectId  the project the write key belongs to
 * @param eventId    the event id: the client's {@code messageId}/{@code event_id}, or a UUID the gateway made
 * @param receivedAt server clock when the request arrived, epoch ms
 * @param ip         the client address (from the connection or {@code X-Forwarded-For})
 * @param userAgent  the HTTP User-Agent, or {@code null}
 * @param format     the wire format of {@code payload}
 * @param payload    the item as received
 */
public record RawEnvelope(
        String projectId,
        String eventId,
        long receivedAt,
        String ip,
        String userAgent,
        WireFormat format,
        JsonNode payload) {

    public RawEnvelope {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(payload, "payload");
    }
}
