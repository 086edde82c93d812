package io.beacon.control.registry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The safe coercion rules: how a property value as decoded from JSON ({@link String},
 * {@link Number}, {@link Boolean}, {@link List}, {@link Map}) is checked against a
 * {@link PropertyType} and turned into its canonical form. "Safe" means no information is guessed
 * or lost: a value is converted only when exactly one reading is possible.
 *
 * <table>
 *   <caption>Accepted inputs per type</caption>
 *   <tr><th>type</th><th>accepted</th><th>canonical result</th><th>rejected (TYPE_MISMATCH)</th></tr>
 *   <tr><td>string</td><td>string; number; boolean</td><td>the string; the number's plain decimal text
 *       ({@code 12}, {@code 1.5}, never exponent notation); {@code "true"}/{@code "false"}</td>
 *       <td>list, object</td></tr>
 *   <tr><td>number</td><td>number; string holding a JSON number ({@code "12"}, {@code "-1.5e3"}, no
 *       spaces, no {@code +}, no hex, no {@code NaN}/{@code Infinity})</td><td>a {@code Long} when
 *       integral and in range (so {@code "12.0"} &rarr; {@code 12}), else a finite {@code Double}; a
 *       number given as a number is kept as it is</td><td>{@code "abc"}, {@code ""}, {@code " 12"},
 *       boolean, list, object</td></tr>
 *   <tr><td>boolean</td><td>boolean; string {@code "true"}/{@code "false"} (any case)</td>
 *       <td>{@code Boolean}</td><td>{@code 0}/{@code 1}, {@code "yes"}, other strings, list, object</td></tr>
 *   <tr><td>datetime</td><td>ISO-8601 date-time <em>with</em> offset or {@code Z}
 *       ({@code 2024-05-01T10:00:00+02:00}); epoch milliseconds as an integral number or a string of
 *       digits, from 0 to year 9999</td><td>ISO-8601 UTC string, millisecond precision
 *       ({@code 2024-05-01T08:00:00Z}, {@code …:00.123Z})</td><td>date-times without offset (their
 *       zone would be a guess), dates alone, fractional or negative epochs, boolean, list, object</td></tr>
 *   <tr><td>list</td><td>a JSON array of scalars (string, number, boolean, null)</td><td>the list</td>
 *       <td>a scalar (not wrapped: {@code "a,b"} is ambiguous), an array containing arrays or objects,
 *       an object</td></tr>
 * </table>
 *
 * <p>{@code null} is never a type mismatch: it means "absent" (and fails a required-property check).
 * Epoch values are milliseconds, never seconds: the rule does not guess the unit from magnitude.
 */
public final class TypeCoercion {
    /** JSON's number grammar (RFC 8259 §6). */
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,16}");
    /** 9999-12-31T23:59:59.999Z. */
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private TypeCoercion() {
    }

    /** The outcome of coercing one value: the canonical value, or why it does not fit. */
    public record Result(boolean ok, Object value, String problem) {
        static Result ok(Object value) {
            return new Result(true, value, null);
        }

        static Result mismatch(String problem) {
            return new Result(false, null, problem);
        }
    }

    /** Checks and converts {@code value} ({@code non-null}) to {@code type}. Pure and cheap. */
    public static Result coerce(PropertyType type, Object value) {
        Objects.requireNonNull(value, "value");
        return switch (type) {
            case STRING -> toStringValue(value);
            case NUMBER -> toNumber(value);
            case BOOLEAN -> toBoolean(value);
            case DATETIME -> toDatetime(value);
            case LIST -> toList(value);
        };
    }

    private static Result toStringValue(Object value) {
        if (value instanceof String s) {
            return Result.ok(s);
        }
        if (value instanceof Number n) {
            return isFinite(n) ? Result.ok(plain(n)) : Result.mismatch("is not a finite number");
        }
        if (value instanceof Boolean b) {
            return Result.ok(b.toString());
        }
        return Result.mismatch("expected a string, got " + describe(value));
    }

    private static Result toNumber(Object value) {
        if (value instanceof Number n) {
            return isFinite(n) ? Result.ok(n) : Result.mismatch("is not a finite number");
        }
        if (value instanceof String s) {
            if (s.length() > 400 || !JSON_NUMBER.matcher(s).matches()) {
                return Result.mismatch("'" + abbreviate(s) + "' is not a number");
            }
            BigDecimal d;
            try {
                d = new BigDecimal(s);
            } catch (NumberFormatException e) {
                return Result.mismatch("'" + abbreviate(s) + "' is out of range");
            }
            BigDecimal stripped = d.stripTrailingZeros();
            if (stripped.scale() <= 0 && stripped.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                    && stripped.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
                return Result.ok(stripped.longValueExact());
            }
            double dbl = d.doubleValue();
            return Double.isFinite(dbl) ? Result.ok(dbl) : Result.mismatch("'" + abbreviate(s) + "' is out of range");
        }
        return Result.mismatch("expected a number, got " + describe(value));
    }

    private static Result toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return Result.ok(b);
        }
        if (value instanceof String s) {
            if (s.equalsIgnoreCase("true")) {
                return Result.ok(Boolean.TRUE);
            }
            if (s.equalsIgnoreCase("false")) {
                return Result.ok(Boolean.FALSE);
            }
            return Result.mismatch("'" + abbreviate(s) + "' is not true or false");
        }
        return Result.mismatch("expected a boolean, got " + describe(value));
    }

    private static Result toDatetime(Object value) {
        if (value instanceof Number n) {
            if (!isIntegral(n)) {
                return Result.mismatch("epoch milliseconds must be a whole number");
            }
            return epochMillis(n.longValue());
        }
        if (value instanceof String s) {
            if (DIGITS.matcher(s).matches()) {
                return epochMillis(Long.parseLong(s));
            }
            try {
                Instant instant = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                if (instant.toEpochMilli() < 0 || instant.toEpochMilli() > MAX_EPOCH_MILLIS) {
                    return Result.mismatch("'" + abbreviate(s) + "' is outside 1970–9999");
                }
                return Result.ok(instant.truncatedTo(ChronoUnit.MILLIS).toString());
            } catch (DateTimeParseException | ArithmeticException e) {
                return Result.mismatch("'" + abbreviate(s) + "' is not an ISO-8601 date-time with offset or epoch milliseconds");
            }
        }
        return Result.mismatch("expected a datetime, got " + describe(value));
    }

    private static Result epochMillis(long millis) {
        if (millis < 0 || millis > MAX_EPOCH_MILLIS) {
            return Result.mismatch("epoch milliseconds " + millis + " is outside 1970–9999");
        }
        return Result.ok(Instant.ofEpochMilli(millis).toString());
    }

    private static Result toList(Object value) {
        if (!(value instanceof List<?> list)) {
            return Result.mismatch("expected a list, got " + describe(value));
        }
        for (int i = 0; i < list.size(); i++) {
            Object e = list.get(i);
            if (e instanceof List<?> || e instanceof Map<?, ?>) {
                return Result.mismatch("element " + i + " is " + describe(e) + "; list elements must be strings, numbers or booleans");
            }
        }
        return Result.ok(new ArrayList<>(list));
    }

    /**
     * The text a scalar is compared by in enum checks and hashed/masked by PII rules: strings as they
     * are, numbers in plain decimal without trailing zeros, booleans as {@code true}/{@code false}.
     */
    public static String canonicalText(Object scalar) {
        if (scalar instanceof Number n) {
            return plain(n);
        }
        return String.valueOf(scalar);
    }

    static String plain(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return Long.toString(n.longValue());
        }
        if (n instanceof BigInteger bi) {
            return bi.toString();
        }
        BigDecimal d = n instanceof BigDecimal bd ? bd : new BigDecimal(Double.toString(n.doubleValue()));
        BigDecimal stripped = d.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double d && !Double.isFinite(d)) && !(n instanceof Float f && !Float.isFinite(f));
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return true;
        }
        if (n instanceof BigInteger bi) {
            return bi.bitLength() < 63;
        }
        if (!isFinite(n)) {
            return false;
        }
        BigDecimal d = n instanceof BigDecimal bd ? bd : new BigDecimal(Double.toString(n.doubleValue()));
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 && stripped.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    static String describe(Object value) {
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value.getClass().getSimpleName();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
