package io.beacon.analytics.timeline;

import io.beacon.analytics.query.InvalidQueryException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * A validated timeline request.
 *
 * @param id     the distinct id or person id asked for (resolved like the views resolve it)
 * @param from   inclusive lower bound of {@code event_time}, or null
 * @param to     exclusive upper bound, or null
 * @param limit  events per page, 1–{@value #MAX_LIMIT}
 * @param cursor the position after which the page starts, or null for the first page
 */
public record TimelineQuery(String id, Instant from, Instant to, int limit, TimelineCursor cursor) {
    public static final int MAX_LIMIT = 1_000;
    public static final int DEFAULT_LIMIT = 100;
    private static final Set<String> PARAMS = Set.of("from", "to", "limit", "cursor");

    /**
     * Parses the path id and the query parameters. {@code from}/{@code to}: an ISO instant with offset
     * ({@code 2026-03-01T10:00:00Z}), a local date-time or a local date (start of that day) in {@code zone}.
     */
    public static TimelineQuery parse(String id, Map<String, String> params, ZoneId zone) {
        if (id == null || id.isEmpty() || id.length() > 200 || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidQueryException("id", "a distinct id or person id: 1–200 characters without control characters");
        }
        for (String name : params.keySet()) {
            if (!PARAMS.contains(name)) {
                throw new InvalidQueryException(printable(name), "unknown parameter (allowed: from, to, limit, cursor)");
            }
        }
        Instant from = params.containsKey("from") ? instant(params.get("from"), "from", zone) : null;
        Instant to = params.containsKey("to") ? instant(params.get("to"), "to", zone) : null;
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidQueryException("to", "must be after from");
        }
        int limit = DEFAULT_LIMIT;
        if (params.containsKey("limit")) {
            try {
                limit = Integer.parseInt(params.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidQueryException("limit", "must be an integer 1–" + MAX_LIMIT);
            }
        }
        TimelineCursor cursor = params.containsKey("cursor") ? TimelineCursor.decode(params.get("cursor")) : null;
        return new TimelineQuery(id, from, to, limit, cursor);
    }

    private static Instant instant(String s, String field, ZoneId zone) {
        try {
            Instant i;
            if (s.length() == 10) {
                i = LocalDate.parse(s).atStartOfDay(zone).toInstant();
            } else if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                i = OffsetDateTime.parse(s).toInstant();
            } else {
                i = LocalDateTime.parse(s).atZone(zone).toInstant();
            }
            if (i.getEpochSecond() < 0 || i.getEpochSecond() > 4_294_967_295L) {
                throw new InvalidQueryException(field, "must lie between 1970 and 2106");
            }
            return i;
        } catch (DateTimeException e) {
            throw new InvalidQueryException(field, "expected an ISO instant (2026-03-01T10:00:00Z), local date-time or date");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
