package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one HTTP request body into items ready for Kafka: splits batches, merges batch-level
 * {@code context}, {@code integrations} and {@code sentAt} into each item (the item's own values
 * win, as in Segment's batch API), strips the write key, assigns event ids and validates each item
 * with {@link EventMapper}. Pure; the gateway only moves the results.
 */
public final class IncomingRequest {
    private IncomingRequest() {
    }

    /** A body split into items, or refused as a whole. */
    public sealed interface Split {
        record Items(List<JsonNode> items) implements Split {
        }

        record Refused(Rejection rejection) implements Split {
        }
    }

    /**
     * One item prepared for Kafka.
     *
     * @param index    the item's position in the request (0 for single calls)
     * @param envelope what goes to {@code beacon.events.raw}; {@code null} when the item was refused
     *                 before an envelope could be built
     * @param result   the mapping outcome: only {@link MappingResult.Mapped} items are sent
     */
    public record Prepared(int index, RawEnvelope envelope, MappingResult result) {
        public boolean accepted() {
            return result instanceof MappingResult.Mapped;
        }

        public Event event() {
            return ((MappingResult.Mapped) result).event();
        }

        public Rejection rejection() {
            return ((MappingResult.Rejected) result).rejection();
        }
    }

    /**
     * Splits a body. The items are the body's own nodes, modified in place (merged batch fields,
     * write key removed) and sharing the batch-level {@code context} where an item has none: the
     * caller hands over a freshly parsed body and treats the items as read-only afterwards. (Copying
     * every item was a measured cost of the gateway.)
     *
     * @param body         the parsed JSON body
     * @param endpointType the call type of a single-call endpoint ({@code /v1/track} → TRACK), or
     *                     {@code null} for {@code /v1/batch}, where each item names its type
     */
    public static Split split(JsonNode body, EventType endpointType) {
        if (endpointType != null) {
            if (!body.isObject()) {
                return refused(RejectionCode.NOT_AN_OBJECT, "the request body must be a JSON object");
            }
            ObjectNode item = (ObjectNode) body;
            if (WireFormat.detect(item) == WireFormat.SEGMENT) {
                item.put("type", endpointType.wireName());
            }
            item.remove("writeKey");
            return new Split.Items(List.of(item));
        }
        JsonNode batch;
        JsonNode shared = null;
        if (body.isArray()) {
            batch = body;
        } else if (body.isObject()) {
            batch = body.get("batch");
            shared = body;
            if (batch == null || batch.isNull()) {
                return refused(RejectionCode.EMPTY_BATCH, "the request body needs a \"batch\" array of events");
            }
            if (!batch.isArray()) {
                return new Split.Refused(Rejection.of(RejectionCode.INVALID_FIELD_TYPE, "batch", "\"batch\" must be an array"));
            }
        } else {
            return refused(RejectionCode.NOT_AN_OBJECT, "the request body must be a JSON object with a \"batch\" array");
        }
        if (batch.isEmpty()) {
            return refused(RejectionCode.EMPTY_BATCH, "the batch has no events");
        }
        List<JsonNode> items = new ArrayList<>(batch.size());
        for (JsonNode raw : batch) {
            items.add(raw.isObject() ? merge((ObjectNode) raw, shared) : raw);
        }
        return new Split.Items(items);
    }

    /**
     * Prepares one split item: event id, envelope, validation.
     *
     * @param index      its position in the request
     * @param item       the item (any JSON: non-objects are refused here)
     * @param projectId  the authenticated project
     * @param receivedAt server receive time, epoch ms
     * @param ip         the client address
     * @param userAgent  the HTTP User-Agent, or {@code null}
     */
    public static Prepared prepare(int index, JsonNode item, String projectId, long receivedAt, String ip, String userAgent) {
        if (!item.isObject()) {
            return new Prepared(index, null, new MappingResult.Rejected(
                    Rejection.of(RejectionCode.NOT_AN_OBJECT, "each batch item must be a JSON object; got " + item.getNodeType().name().toLowerCase())));
        }
        WireFormat format = WireFormat.detect(item);
        String idField = format == WireFormat.NATIVE ? "event_id" : "messageId";
        JsonNode idNode = item.get(idField);
        String eventId;
        if (idNode == null || idNode.isNull() || (idNode.isTextual() && idNode.asText().isBlank())) {
            eventId = UUID.randomUUID().toString();
        } else if (!idNode.isTextual() && !idNode.isIntegralNumber()) {
            return new Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.INVALID_FIELD_TYPE, idField,
                    "\"" + idField + "\" must be a string")));
        } else if (idNode.asText().length() > EventMapper.MAX_ID_LENGTH) {
            return new Prepared(index, null, new MappingResult.Rejected(Rejection.of(RejectionCode.FIELD_TOO_LONG, idField,
                    "\"" + idField + "\" is longer than " + EventMapper.MAX_ID_LENGTH + " characters")));
        } else {
            eventId = idNode.asText().trim();
        }
        RawEnvelope envelope = new RawEnvelope(projectId, eventId, receivedAt, ip, userAgent, format, item);
        return new Prepared(index, envelope, EventMapper.map(envelope));
    }

    private static ObjectNode merge(ObjectNode item, JsonNode shared) {
        item.remove("writeKey");
        if (shared == null) {
            return item;
        }
        for (String field : List.of("context", "integrations")) {
            JsonNode batchValue = shared.get(field);
            if (batchValue != null && batchValue.isObject()) {
                JsonNode own = item.get(field);
                if (own == null || own.isNull()) {
                    item.set(field, batchValue); // shared read-only by the items of this request
                } else if (own.isObject()) {
                    item.set(field, deepMerge(batchValue.deepCopy(), (ObjectNode) own));
                }
                // a non-object own value is left for the mapper to refuse with INVALID_FIELD_TYPE
            }
        }
        boolean nativeItem = WireFormat.detect(item) == WireFormat.NATIVE;
        String sentAtField = nativeItem ? "sent_at" : "sentAt";
        if (!item.has(sentAtField)) {
            JsonNode batchSentAt = shared.has("sentAt") ? shared.get("sentAt") : shared.get("sent_at");
            if (batchSentAt != null && !batchSentAt.isNull()) {
                item.set(sentAtField, batchSentAt.deepCopy());
            }
        }
        return item;
    }

    /** Copies {@code over}'s fields onto {@code base}, recursing into objects present in both. */
    private static ObjectNode deepMerge(ObjectNode base, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                deepMerge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return base;
    }

    private static Split refused(RejectionCode code, String message) {
        return new Split.Refused(Rejection.of(code, message));
    }
}
