package io.beacon.warehouse.widening;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.beacon.event.EventCodec;
import io.beacon.event.NumericText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a property value, as decoded from an event ({@link String}, {@link Number}, {@link Boolean},
 * {@link List}, {@link Map} or {@code null}), into the JSONEachRow value of its promoted column. Pure.
 *
 * <p>The rules follow the registry's safe coercion (control-plane {@code TypeCoercion}), which the
 * topology has normally applied already; they are repeated here because the warehouse must not trust
 * that every event passed a registry (permissive projects, events written before the promotion).
 * Whatever does not fit becomes {@code null} (SQL {@code NULL}; {@code []} for lists): the value is
 * still in the {@code properties} pair, nothing is lost.
 *
 * <table>
 *   <caption>Column values</caption>
 *   <tr><th>type</th><th>stored</th><th>NULL</th></tr>
 *   <tr><td>number</td><td>finite numbers; strings in JSON number syntax ({@code "12"}, {@code "-1.5e3"})</td>
 *       <td>other strings, booleans, lists, objects, non-finite</td></tr>
 *   <tr><td>boolean</td><td>{@code true}/{@code false} and those strings in any case, as 1/0</td>
 *       <td>numbers (0/1 too), other strings, lists, objects</td></tr>
 *   <tr><td>string</td><td>strings; numbers in plain decimal ({@code 12}, {@code 1.5}); booleans</td>
 *       <td>lists, objects</td></tr>
 *   <tr><td>datetime</td><td>ISO-8601 with offset or {@code Z}; epoch milliseconds (integral number or
 *       digit string); stored as epoch seconds</td><td>no offset, fractional/negative epochs, before 1970
 *       or after 2106-02-07 (the {@code DateTime} range)</td></tr>
 *   <tr><td>list</td><td>arrays: elements as text (strings as is, others as JSON)</td>
 *       <td>({@code []}) scalars, objects</td></tr>
 * </table>
 */
public final class PromotedValues {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");
    /** The largest value of a ClickHouse {@code DateTime}: 2106-02-07 06:28:15 UTC. */
    private static final long MAX_DATETIME_SECONDS = 4_294_967_295L;

    private PromotedValues() {
    }

    /** The column value of {@code value} for a column of {@code type}; {@code null} = NULL. */
    public static Object columnValue(PromotedType type, Object value) {
        if (value == null) {
            return type == PromotedType.LIST ? List.of() : null;
        }
        return switch (type) {
            case NUMBER -> number(value);
            case BOOLEAN -> bool(value);
            case STRING -> string(value);
            case DATETIME -> datetime(value);
            case LIST -> list(value);
        };
    }

    /** The value an absent property gets. */
    public static Object absent(PromotedType type) {
        return type == PromotedType.LIST ? List.of() : null;
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return value instanceof String s ? NumericText.parse(s) : null;
    }

    private static Integer bool(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            if (s.equalsIgnoreCase("true")) {
                return 1;
            }
            if (s.equalsIgnoreCase("false")) {
                return 0;
            }
        }
        return null;
    }

    private static String string(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n) {
            return plain(n);
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        return null;
    }

    private static Long datetime(Object value) {
        long millis;
        if (value instanceof Number n) {
            if (!isIntegral(n) || (n instanceof BigInteger bi && bi.bitLength() > 63)) {
                return null;
            }
            millis = n.longValue();
        } else if (value instanceof String s) {
            if (DIGITS.matcher(s).matches()) {
                millis = Long.parseLong(s);
            } else {
                try {
                    millis = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    return null;
                }
            }
        } else {
            return null;
        }
        long seconds = Math.floorDiv(millis, 1000L);
        return millis < 0 || seconds > MAX_DATETIME_SECONDS ? null : seconds;
    }

    private static List<String> list(Object value) {
        if (!(value instanceof List<?> items)) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(items.size());
        for (Object item : items) {
            texts.add(text(item));
        }
        return texts;
    }

    private static String text(Object item) {
        if (item instanceof String s) {
            return s;
        }
        try {
            return EventCodec.mapper().writeValueAsString(item);
        } catch (JsonProcessingException e) {
            return String.valueOf(item);
        }
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return true;
        }
        if (n instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() <= 0;
        }
        double d = n.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d);
    }

    private static String plain(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return n.toString();
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d)) {
            return null;
        }
        BigDecimal stripped = (n instanceof BigDecimal bd ? bd : new BigDecimal(Double.toString(d))).stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
