package io.beacon.cdp.log;

import io.beacon.warehouse.schema.MigrationCatalog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The delivery log's SQL, pure: every value from a caller reaches the text as a ClickHouse literal written by
 * {@link #string} (the rules of analytics' {@code SqlLiterals}, valid on 18.16 and 26.x) or as a Java number.
 */
final class LogSql {
    static final String COLUMNS = "project_id, destination_id, person_id, message_id, type, attempt, at_ms, status, outcome, "
            + "latency_ms, error, response_body";
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private LogSql() {
    }

    /** A destination's attempts, newest first, optionally of one message. */
    static String recentAttempts(String projectId, String destinationId, int limit, Optional<String> messageId) {
        return "SELECT " + COLUMNS + "\nFROM " + MigrationCatalog.DELIVERIES + " FINAL\n"
                + "WHERE project_id = " + string(projectId) + " AND destination_id = " + string(destinationId)
                + messageId.map(m -> " AND message_id = " + string(m)).orElse("") + "\n"
                + "ORDER BY at_ms DESC, message_id DESC, attempt DESC\n"
                + "LIMIT " + limit;
    }

    /**
     * Figures per destination of attempts at or after {@code fromMs}: one row per destination with attempts,
     * ordered by id. {@code at} bounds the months read, {@code at_ms} the exact window.
     */
    static String stats(String projectId, Optional<String> destinationId, long fromMs) {
        return """
                SELECT destination_id,
                       count() AS attempts,
                       uniqExact(message_id) AS messages,
                       uniqExactIf(message_id, outcome = 'delivered') AS delivered,
                       countIf(outcome = 'retry') AS retry,
                       countIf(outcome = 'throttled') AS throttled,
                       countIf(outcome = 'dead_lettered') AS dead_lettered,
                       quantiles(0.5, 0.95, 0.99)(latency_ms) AS latency,
                       max(at_ms) AS last_at_ms
                FROM %s FINAL
                WHERE project_id = %s%s
                  AND at >= toDateTime(%s, 'UTC') AND at_ms >= %d
                GROUP BY destination_id
                ORDER BY destination_id""".formatted(MigrationCatalog.DELIVERIES, string(projectId),
                destinationId.map(d -> " AND destination_id = " + string(d)).orElse(""),
                string(UTC_SECONDS.format(Instant.ofEpochMilli(fromMs))), fromMs);
    }

    /** {@code value} as a ClickHouse string literal: {@code 'it\'s'}, control characters escaped. */
    static String string(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }
}
