package io.beacon.event;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * Timestamp parsing and the clock-skew rule.
 *
 * <p>The rule (Segment's, "Timestamps" in the Spec: Common Fields): a client-set
 * {@code timestamp} is trusted as given (server SDKs and imports set it on purpose). Otherwise the
 * event time is {@code receivedAt − (sentAt − originalTimestamp)}: the delay the client measured on
 * its own clock between the event and sending it is subtracted from the server's receive time, which
 * cancels a wrong device clock. Without {@code sentAt} the client's time is used as is; without any
 * client time, {@code receivedAt}.
 */
public final class EventTimes {
    private EventTimes() {
    }

    /**
     * Parses ISO-8601 ({@code 2026-11-25T10:00:00.123Z}, with an offset, or without one meaning UTC)
     * or epoch milliseconds given as a number or numeric string.
     */
    public static OptionalLong parse(String text) {
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit) && t.length() <= 15) {
            return OptionalLong.of(Long.parseLong(t));
        }
        try {
            return OptionalLong.of(OffsetDateTime.parse(t).toInstant().toEpochMilli());
        } catch (DateTimeParseException ignored) {
            // fall through to the zone-less forms
        }
        try {
            return OptionalLong.of(Instant.parse(t).toEpochMilli());
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        try {
            return OptionalLong.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Applies the skew rule.
     *
     * @param explicitTimestamp a client {@code timestamp} to trust as is, or {@code null}
     * @param clientTime        the client's clock when the event happened, or {@code null}
     * @param sentAt            the client's clock when the request was sent, or {@code null}
     * @param receivedAt        the server's clock when the request arrived
     */
    public static long eventTime(Long explicitTimestamp, Long clientTime, Long sentAt, long receivedAt) {
        if (explicitTimestamp != null) {
            return explicitTimestamp;
        }
        if (clientTime == null) {
            return receivedAt;
        }
        if (sentAt == null) {
            return clientTime;
        }
        return receivedAt - (sentAt - clientTime);
    }
}
