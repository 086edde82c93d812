package io.beacon.streams.discovery;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.registry.PropertyType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The observed type of one property value as decoded from JSON, as counted by discovery. It records
 * what was sent, guessing nothing: {@code "12"} is a string (a number property would accept it, but so
 * would a string one), epoch numbers are numbers.
 *
 * <table>
 *   <caption>Observed types</caption>
 *   <tr><th>value</th><th>type</th></tr>
 *   <tr><td>{@code true}/{@code false}</td><td>{@code boolean}</td></tr>
 *   <tr><td>a number</td><td>{@code number}</td></tr>
 *   <tr><td>a string that is an ISO-8601 date-time with offset or {@code Z}</td><td>{@code datetime}</td></tr>
 *   <tr><td>any other string</td><td>{@code string}</td></tr>
 *   <tr><td>an array</td><td>{@code list}</td></tr>
 *   <tr><td>an object</td><td>{@value DiscoveredItem#OBJECT}</td></tr>
 *   <tr><td>{@code null}</td><td>none (not counted)</td></tr>
 * </table>
 */
public final class TypeInference {
    private TypeInference() {
    }

    /** The type's name ({@link PropertyType#wireName()} or {@value DiscoveredItem#OBJECT}), {@code null} for {@code null}. */
    public static String observedType(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return PropertyType.BOOLEAN.wireName();
        }
        if (value instanceof Number) {
            return PropertyType.NUMBER.wireName();
        }
        if (value instanceof List<?>) {
            return PropertyType.LIST.wireName();
        }
        if (value instanceof Map<?, ?>) {
            return DiscoveredItem.OBJECT;
        }
        String s = value.toString();
        return isDateTimeWithOffset(s) ? PropertyType.DATETIME.wireName() : PropertyType.STRING.wireName();
    }

    private static boolean isDateTimeWithOffset(String s) {
        // cheap shape check first: yyyy-MM-ddTHH:mm:ssZ is the shortest form
        if (s.length() < 20 || s.length() > 40 || s.charAt(4) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')) {
            return false;
        }
        try {
            OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
