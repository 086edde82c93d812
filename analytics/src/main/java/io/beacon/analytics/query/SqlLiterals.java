package io.beacon.analytics.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The only way a value reaches analytics SQL: as a ClickHouse literal written here. Strings are
 * single-quoted with backslash and quote escaped (ClickHouse string-literal rules, which also hold on
 * 18.16); numbers are written from {@link BigDecimal} in plain notation; instants as
 * {@code toDateTime('yyyy-MM-dd HH:mm:ss', 'UTC')} (18.16 needs the function, not a bare string, when
 * comparing {@code DateTime}s inside some aggregate queries).
 */
public final class SqlLiterals {
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private SqlLiterals() {
    }

    /**
     * {@code value} as a ClickHouse string literal: {@code 'it\'s'}. Every control character is escaped too (the
     * usual ones by name, the others as {@code \xHH}), so the SQL text stays printable wherever it is shown or logged.
     */
    public static String string(String value) {
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

    /** A finite number in plain notation ({@code 12.5}, {@code -3}, {@code 1000000}). */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** An instant (second precision) as a {@code DateTime} expression in UTC. */
    public static String dateTime(Instant instant) {
        return "toDateTime(" + string(UTC_SECONDS.format(instant)) + ", 'UTC')";
    }

    /** The UTC date of {@code instant} as a {@code Date} expression (partition pruning on {@code event_date}). */
    public static String utcDate(Instant instant) {
        return "toDate(" + string(instant.atOffset(ZoneOffset.UTC).toLocalDate().toString()) + ")";
    }
}
