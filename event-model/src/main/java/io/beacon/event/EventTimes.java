package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import java.util.function.Function;

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
        if (t.length() <= 15 && allDigits(t)) {
            return OptionalLong.of(Long.parseLong(t));
        }
        long fast = parseCommonIso(t);
        if (fast != NOT_FAST) {
            return OptionalLong.of(fast);
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

    private static final long NOT_FAST = Long.MIN_VALUE;

    private static boolean allDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The forms SDKs send almost always — {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} — parsed
     * without {@code java.time}'s formatter (a profiled hot spot of the gateway and the topology).
     * Returns {@link #NOT_FAST} for anything else, including out-of-range fields, so the general
     * parsers below decide (and reject) exactly as before.
     */
    static long parseCommonIso(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return NOT_FAST;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_FAST;
        }
        int i = 19;
        long millis = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            int len = i - start;
            if (len < 1 || len > 9) {
                return NOT_FAST;
            }
            // Truncated to milliseconds, as Instant.toEpochMilli does.
            for (int k = 0; k < 3; k++) {
                millis = millis * 10 + (k < len ? t.charAt(start + k) - '0' : 0);
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, i + 3);
            int om = digits(t, i + 4, i + 6);
            if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) {
                return NOT_FAST;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return NOT_FAST;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000L + millis;
    }

    /** The non-negative number in {@code t[from, to)}, or −1 when a character is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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

    /**
     * The time in field {@code field} of a wire object: epoch milliseconds or ISO-8601 text ({@link #parse}),
     * {@code null} when absent; anything else is refused with {@link RejectionCode#INVALID_TIMESTAMP}, thrown as
     * the mapping's own control-flow exception made by {@code refusal}.
     */
    static Long field(JsonNode in, String field, Function<Rejection, ? extends RuntimeException> refusal) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            OptionalLong t = parse(v.asText());
            if (t.isPresent()) {
                return t.getAsLong();
            }
        }
        throw refusal.apply(Rejection.of(RejectionCode.INVALID_TIMESTAMP, field,
                "\"" + field + "\" must be an ISO-8601 date-time or epoch milliseconds; got " + v));
    }
}
