package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.DqFact;
import io.beacon.event.EventMapper;
import io.beacon.event.IncomingRequest;
import io.beacon.event.Rejection;
import java.util.ArrayList;
import java.util.List;

/**
 * The data-quality facts of what the gateway refused once the project was known: one
 * {@link DqFact.Stage#GATEWAY_REJECTED} fact per refused item, code = the rejection code the API answers
 * with. The name and id are read from the item as the client sent it (never the id the gateway would
 * have generated); one that is missing, not text or longer than {@link EventMapper#MAX_ID_LENGTH} is
 * reported as {@code ""}.
 */
final class RefusedItemFacts {
    /** Where the protocols carry the event name: Segment and PostHog {@code event}, native {@code event_name}. */
    private static final List<String> NAME_FIELDS = List.of("event", "event_name");
    /** Where they carry the event id: Segment {@code messageId}, native {@code event_id}, PostHog {@code uuid}. */
    private static final List<String> ID_FIELDS = List.of("messageId", "event_id", "uuid");

    private RefusedItemFacts() {
    }

    /** A fact for each refused item of {@code prepared}; {@code items} are the request's items by index. */
    static List<DqFact> of(String projectId, long receivedAt, List<JsonNode> items, List<IncomingRequest.Prepared> prepared) {
        List<DqFact> facts = new ArrayList<>();
        for (IncomingRequest.Prepared p : prepared) {
            if (!p.accepted()) {
                facts.add(of(projectId, receivedAt, items.get(p.index()), p.rejection()));
            }
        }
        return facts;
    }

    /** The fact of one refused item, or of a single-event request refused as a whole ({@code item}: its body). */
    static DqFact of(String projectId, long receivedAt, JsonNode item, Rejection rejection) {
        return new DqFact(projectId, DqFact.Stage.GATEWAY_REJECTED, rejection.code().name(), firstText(item, NAME_FIELDS),
                firstText(item, ID_FIELDS), receivedAt);
    }

    private static String firstText(JsonNode item, List<String> fields) {
        if (!item.isObject()) {
            return "";
        }
        for (String field : fields) {
            JsonNode value = item.get(field);
            if (value != null && (value.isTextual() || value.isIntegralNumber())) {
                String text = value.asText().trim();
                if (!text.isEmpty()) {
                    return text.length() <= EventMapper.MAX_ID_LENGTH ? text : "";
                }
            }
        }
        return "";
    }
}
