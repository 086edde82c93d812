package io.beacon.cdp.dlq;

import io.beacon.event.RefusedException;
import io.beacon.event.cdp.ErrorClass;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The words of a DLQ request (query parameters, body fields, CLI options) as values, shared by the API and the
 * CLI so both refuse the same input the same way: a {@link RefusedException} (invalid) naming the field.
 */
public final class CdpDlqParams {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    /** Longest destination id accepted in a filter. */
    public static final int MAX_DESTINATION_LENGTH = 200;
    /** The replay's {@code destination} that selects every destination (it must be said, never implied). */
    public static final String ALL_DESTINATIONS = "all";

    private CdpDlqParams() {
    }

    /**
     * A time: epoch milliseconds (digits) or ISO-8601 with an offset ({@code 2026-12-07T10:00:00Z},
     * {@code 2026-12-07T11:00:00+01:00}).
     */
    public static long time(String text, String field) {
        String t = text == null ? "" : text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw invalid("INVALID_TIME", field + " is too large for epoch milliseconds", field);
            }
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid("INVALID_TIME", field + " must be epoch milliseconds or ISO-8601 with an offset"
                    + " (2026-12-07T10:00:00Z), got '" + text + "'", field);
        }
    }

    /** An error class by its wire name ({@code exhausted}, …), case-insensitive. */
    public static ErrorClass errorClass(String text, String field) {
        return ErrorClass.fromWire(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> invalid("INVALID_ERROR_CLASS", "'" + text + "' is not an error class; one of "
                        + Arrays.stream(ErrorClass.values()).map(ErrorClass::wireName).collect(Collectors.joining(", ")),
                        field));
    }

    /** A page size from 1 to {@value #MAX_LIMIT}. */
    public static int limit(String text) {
        try {
            int limit = Integer.parseInt(text == null ? "" : text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("INVALID_LIMIT", "limit must be an integer from 1 to " + MAX_LIMIT, "limit");
    }

    /** A destination id: non-blank, at most {@value #MAX_DESTINATION_LENGTH} characters, no control characters. */
    public static String destination(String text, String field) {
        if (text == null || text.isBlank()) {
            throw invalid("INVALID_DESTINATION", field + " must be a destination id", field);
        }
        if (text.length() > MAX_DESTINATION_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            throw invalid("INVALID_DESTINATION", field + " must be at most " + MAX_DESTINATION_LENGTH
                    + " characters without control characters", field);
        }
        return text;
    }

    static RefusedException invalid(String code, String message, String field) {
        return new RefusedException(RefusedException.Kind.INVALID, code, message, field);
    }
}
