package io.beacon.cdp.privacy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationType;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The messages of "delete this person" (the privacy issue's erasure calls it through the connectors): one
 * {@code person.deleted} message per enabled destination of the project, in destination id order. A webhook gets
 * it as {@code {"type":"person.deleted",…}}, a CRM as {@code {"action":"delete",…}}. A <b>push</b> destination gets
 * none: a push provider holds device tokens, not persons, so there is nothing there to delete, and a data-only push
 * to a deleted person's device would be a message to someone who asked to be forgotten. Pure; the id depends only
 * on (destination, project, person, request id), so a retried request with the same request id yields the same ids.
 */
public final class PersonDeletion {
    private PersonDeletion() {
    }

    /** Whether a destination of {@code type} is sent a {@code person.deleted} message. */
    public static boolean receives(DestinationType type) {
        return type != DestinationType.PUSH;
    }

    /** The idempotency key of the deletion of {@code personId} at {@code destinationId}. */
    public static String messageId(String destinationId, String projectId, String personId, String requestId) {
        return IdempotencyKeys.of("person-deleted", destinationId, projectId, personId, requestId);
    }

    /** The messages to put on the outbox; {@code destinations} may hold other projects' and disabled ones. */
    public static List<OutboxMessage> messages(List<DestinationDefinition> destinations, String projectId, String personId,
                                               String requestId, long nowMs) {
        List<DestinationDefinition> targets = new ArrayList<>();
        for (DestinationDefinition d : destinations) {
            if (d.projectId().equals(projectId) && d.enabled() && receives(d.type())) {
                targets.add(d);
            }
        }
        targets.sort(Comparator.comparing(DestinationDefinition::id));
        List<OutboxMessage> out = new ArrayList<>(targets.size());
        for (DestinationDefinition d : targets) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            data.put("person_id", personId);
            data.put("request_id", requestId);
            data.put("requested_at", Instant.ofEpochMilli(nowMs).toString());
            out.add(new OutboxMessage(projectId, d.id(), personId, messageId(d.id(), projectId, personId, requestId),
                    MessageTypes.PERSON_DELETED, nowMs, data));
        }
        return out;
    }
}
