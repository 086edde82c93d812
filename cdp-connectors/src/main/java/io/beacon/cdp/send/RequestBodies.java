package io.beacon.cdp.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.cdp.payload.WebhookBody;
import io.beacon.control.destinations.CrmSettings;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.PushTemplate;
import io.beacon.control.destinations.Template;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The request body of a message for each destination type, all signed alike (Standard Webhooks headers):
 * <ul>
 *   <li>{@code webhook}: {@code {"type","timestamp","data"}};</li>
 *   <li>{@code push}: an FCM v1-shaped {@code {"message":{"token","notification":{"title","body"},"data":{…}}}}
 *       with title, body and deep link rendered from the destination's templates (token = trait {@code push_token}); a
 *       journey's {@code journey.send} uses the {@code title}, {@code body} and {@code deep_link} its step rendered
 *       and the destination's templates for the rest;</li>
 *   <li>{@code crm}: a contact change {@code {"action","list","contacts":[{mapped fields}]}}; the action is
 *       {@code add_to_list}/{@code remove_from_list} for segment entries/exits when the destination has a list
 *       (audience sync; a full resync's {@code audience.resync} is an {@code add_to_list} too), {@code delete} for
 *       {@code person.deleted}, else {@code upsert} (a journey's CRM step: the contact's mapped traits as of the
 *       send).</li>
 * </ul>
 * Pure: the same message gives the same bytes on every attempt.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    public static byte[] of(DestinationDefinition d, OutboxMessage m) {
        return switch (d.type()) {
            case WEBHOOK -> WebhookBody.of(m);
            case PUSH -> push(d.template(), m);
            case CRM -> crm(d.crm(), m);
        };
    }

    static byte[] push(PushTemplate t, OutboxMessage m) {
        if (t == null) {
            throw new IllegalArgumentException("the push destination has no template");
        }
        MessageVariables vars = new MessageVariables(m);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode message = body.putObject("message");
        message.put("token", vars.apply("traits.push_token").orElse(""));
        ObjectNode notification = message.putObject("notification");
        // a journey's send step renders its own title and body (validated against the journey's variables); the
        // destination's template fills what the step leaves out
        notification.put("title", journeyField(m, "title").orElseGet(() -> t.title().render(vars)));
        notification.put("body", journeyField(m, "body").orElseGet(() -> t.body().render(vars)));
        ObjectNode data = message.putObject("data");
        data.put("type", m.type());
        data.put("person_id", m.personId());
        data.put("message_id", m.messageId());
        Optional<String> journeyLink = journeyField(m, "deep_link");
        if (journeyLink.isPresent()) {
            data.put("deep_link", journeyLink.get());
        } else if (t.deepLink() != null) {
            data.put("deep_link", t.deepLink().render(vars));
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A field a journey's send step rendered ({@code data.fields.<name>} of a {@code journey.send}), if any. */
    static Optional<String> journeyField(OutboxMessage m, String name) {
        if (!MessageTypes.JOURNEY_SEND.equals(m.type())) {
            return Optional.empty();
        }
        JsonNode v = m.data().path("fields").path(name);
        return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    static byte[] crm(CrmSettings crm, OutboxMessage m) {
        if (crm == null) {
            throw new IllegalArgumentException("the CRM destination has no field mapping");
        }
        MessageVariables vars = new MessageVariables(m);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("action", crmAction(crm, m));
        if (crm.list() != null) {
            body.put("list", crm.list());
        }
        ObjectNode contact = body.putArray("contacts").addObject();
        contact.put("external_id", m.personId());
        for (Map.Entry<String, Template> f : crm.fieldMapping().entrySet()) {
            String value = f.getValue().render(vars);
            if (!value.isEmpty()) {
                contact.put(f.getKey(), value); // a trait the person does not have is left out, not blanked
            }
        }
        body.put("message_id", m.messageId());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String crmAction(CrmSettings crm, OutboxMessage m) {
        if (MessageTypes.PERSON_DELETED.equals(m.type())) {
            return "delete";
        }
        if (crm.list() != null && (MessageTypes.SEGMENT_ENTERED.equals(m.type()) || MessageTypes.AUDIENCE_RESYNC.equals(m.type()))) {
            return "add_to_list";
        }
        if (crm.list() != null && MessageTypes.SEGMENT_EXITED.equals(m.type())) {
            return "remove_from_list";
        }
        return "upsert";
    }
}
