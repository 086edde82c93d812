package io.beacon.event.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.Event;
import io.beacon.event.IncomingRequest;
import io.beacon.event.MappingResult;
import io.beacon.event.PostHogMapper;
import io.beacon.event.RawEnvelope;
import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;
import io.beacon.event.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns one decoded PostHog capture body into items ready for Kafka, the PostHog counterpart of
 * {@link IncomingRequest}. A body is one event ({@code {"event":…,"properties":…}}), an array of
 * events, or a batch ({@code {"api_key"|"token":…, "batch":[…], "sent_at"?:…}}), as PostHog's
 * capture endpoint accepts them. Pure.
 *
 * <p>The token (PostHog's project API key, Beacon's write key) is read from the body and then
 * stripped from every item, properties included, so the raw topic never holds write keys.
 */
public final class PostHogRequest {
    /** Fields that may carry the token, at the top of a body or an event. */
    private static final List<String> TOKEN_FIELDS = List.of("api_key", "token", "$token");

    private PostHogRequest() {
    }

    /**
     * The token of a body: {@code api_key}, {@code token} or {@code $token} at the top, else the
     * same fields, or {@code properties.token}/{@code properties.$token}, of the first event.
     */
    public static Optional<String> token(JsonNode body) {
        Optional<String> top = tokenOf(body);
        if (top.isPresent()) {
            return top;
        }
        JsonNode first;
        if (body.isArray() && !body.isEmpty()) {
            first = body.get(0);
        } else if (body.isObject() && body.path("batch").isArray() && !body.get("batch").isEmpty()) {
            first = body.get("batch").get(0);
        } else {
            first = body.isObject() && !body.has("batch") ? body.get("properties") : null;
            return tokenOf(first);
        }
        if (first == null || !first.isObject()) {
            return Optional.empty();
        }
        return tokenOf(first).or(() -> tokenOf(first.get("properties")));
    }

    /**
     * Splits a body into events; the batch's {@code sent_at}, else {@code sentAtMillis} (the
     * {@code _} query parameter: the client's clock when it sent the request), is copied into each
     * event that has none of its own, so the clock-skew rule can use it.
     *
     * @param sentAtMillis the {@code _} query parameter, or {@code null}
     */
    public static IncomingRequest.Split split(JsonNode body, Long sentAtMillis) {
        JsonNode events;
        JsonNode batchSentAt = null;
        if (body.isArray()) {
            events = body;
        } else if (body.isObject() && body.has("batch")) {
            events = body.get("batch");
            batchSentAt = body.get("sent_at");
            if (!events.isArray()) {
                return new IncomingRequest.Split.Refused(Rejection.of(RejectionCode.INVALID_FIELD_TYPE, "batch", "\"batch\" must be an array"));
            }
        } else if (body.isObject()) {
            if (!body.has("event") && body.has("data")) {
                return refused(RejectionCode.MALFORMED_JSON, "\"data\" was not decoded: send it as a form field or query parameter, "
                        + "with compression=base64 or lz64");
            }
            events = JsonNodeFactory.instance.arrayNode().add(body);
        } else {
            return refused(RejectionCode.NOT_AN_OBJECT, "the request body must be an event, an array of events or {\"batch\": [...]}");
        }
        if (events.isEmpty()) {
            return refused(RejectionCode.EMPTY_BATCH, "the batch has no events");
        }
        List<JsonNode> items = new ArrayList<>(events.size());
        for (JsonNode raw : events) {
            if (!raw.isObject()) {
                items.add(raw);
                continue;
            }
            ObjectNode item = ((ObjectNode) raw).deepCopy();
            TOKEN_FIELDS.forEach(item::remove);
            JsonNode properties = item.get("properties");
            if (properties != null && properties.isObject()) {
                TOKEN_FIELDS.forEach(((ObjectNode) properties)::remove);
            }
            if (!item.hasNonNull("sent_at")) {
                if (batchSentAt != null && !batchSentAt.isNull()) {
                    item.set("sent_at", batchSentAt.deepCopy());
                } else if (sentAtMillis != null) {
                    item.put("sent_at", sentAtMillis.longValue());
                }
            }
            items.add(item);
        }
        return new IncomingRequest.Split.Items(items);
    }

    /**
     * Prepares one split event: its id ({@code uuid}, else a new UUID), envelope and validation.
     *
     * @param index      its position in the request
     * @param item       the event (any JSON: non-objects are refused here)
     * @param projectId  the authenticated project
     * @param receivedAt server receive time, epoch ms
     * @param ip         the client address
     * @param userAgent  the HTTP User-Agent, or {@code null}
     */
    public static IncomingRequest.Prepared prepare(int index, JsonNode item, String projectId, long receivedAt, String ip, String userAgent) {
        if (!item.isObject()) {
            return new IncomingRequest.Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.NOT_AN_OBJECT,
                    "each event must be a JSON object; got " + item.getNodeType().name().toLowerCase(Locale.ROOT))));
        }
        JsonNode uuid = item.get("uuid");
        String eventId;
        if (uuid == null || uuid.isNull() || (uuid.isTextual() && uuid.asText().isBlank())) {
            eventId = UUID.randomUUID().toString();
        } else if (!uuid.isTextual()) {
            return new IncomingRequest.Prepared(index, null, new MappingResult.Rejected(
                    Rejection.of(RejectionCode.INVALID_FIELD_TYPE, "uuid", "\"uuid\" must be a string")));
        } else if (uuid.asText().length() > Event.MAX_ID_LENGTH) {
            return new IncomingRequest.Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.FIELD_TOO_LONG, "uuid",
                    "\"uuid\" is longer than " + Event.MAX_ID_LENGTH + " characters")));
        } else {
            eventId = uuid.asText().trim();
        }
        RawEnvelope envelope = new RawEnvelope(projectId, eventId, receivedAt, ip, userAgent, WireFormat.POSTHOG, item);
        return new IncomingRequest.Prepared(index, envelope, PostHogMapper.map(envelope));
    }

    private static Optional<String> tokenOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        for (String field : TOKEN_FIELDS) {
            JsonNode v = node.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return Optional.of(v.asText().trim());
            }
        }
        return Optional.empty();
    }

    private static IncomingRequest.Split refused(RejectionCode code, String message) {
        return new IncomingRequest.Split.Refused(Rejection.of(code, message));
    }
}
