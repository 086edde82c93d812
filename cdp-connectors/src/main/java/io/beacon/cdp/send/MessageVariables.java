package io.beacon.cdp.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.cdp.OutboxMessage;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The template variables of a message ({@code person_id}, {@code type}, {@code timestamp}, {@code traits.<name>},
 * {@code event.name}, {@code event.properties.<name>}, {@code segment.id}, {@code segment.name}) read from its
 * {@code data}, for {@code io.beacon.control.destinations.Template#render}.
 */
final class MessageVariables implements Function<String, Optional<String>> {
    private final OutboxMessage message;

    MessageVariables(OutboxMessage message) {
        this.message = message;
    }

    @Override
    public Optional<String> apply(String name) {
        switch (name) {
            case "person_id":
                return Optional.of(message.personId());
            case "type":
                return Optional.of(message.type());
            case "timestamp":
                return Optional.of(Instant.ofEpochMilli(message.createdAtMs()).toString());
            case "event.name":
                return text(message.data().path("event").path("name"));
            case "segment.id":
                return text(message.data().path("segment").path("id"));
            case "segment.name":
                return text(message.data().path("segment").path("name"));
            default:
                break;
        }
        if (name.startsWith("traits.")) {
            return text(message.data().path("traits").path(name.substring("traits.".length())));
        }
        if (name.startsWith("event.properties.")) {
            return text(message.data().path("event").path("properties").path(name.substring("event.properties.".length())));
        }
        return Optional.empty();
    }

    private static Optional<String> text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return Optional.empty();
        }
        return Optional.of(n.isValueNode() ? n.asText() : n.toString());
    }
}
