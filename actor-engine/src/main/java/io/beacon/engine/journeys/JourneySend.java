package io.beacon.engine.journeys;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message a send step decided to send: for the CDP outbox, under {@link #messageKey}, which is the same for the
 * same run and step on every replay.
 *
 * @param fields     the step's template fields rendered for the user (traits, the causing event, journey and step)
 * @param templates  the same fields as written in the definition
 * @param messageKey {@code journey/<id>/v<version>/<person>/<entry>/<step>} ({@link #messageKey(String, int, String, long, String)})
 * @param atMs       when it was decided (the interpreter's {@code nowMs})
 * @param eventId    the event that caused it, {@code null} when a timer did
 */
public record JourneySend(String projectId, String personId, String journeyId, int journeyVersion, long entry,
                          String stepId, String destinationId, String channel, Map<String, String> fields,
                          Map<String, String> templates, String messageKey, long atMs, String eventId) {
    /** The outbox message type of journey sends. */
    public static final String MESSAGE_TYPE = "journey.send";

    public JourneySend {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(journeyId, "journeyId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(messageKey, "messageKey");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
    }

    /** The idempotency key of the message of {@code stepId} in entry {@code entry} of {@code personId} into the journey. */
    public static String messageKey(String journeyId, int journeyVersion, String personId, long entry, String stepId) {
        return "journey/" + journeyId + "/v" + journeyVersion + "/" + personId + "/" + entry + "/" + stepId;
    }
}
