package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads fields of a JSON document and collects every problem instead of stopping at the first. While a step is
 * read, {@link #context} prefixes each message with the step ({@code step 'wait': …}).
 */
final class DocumentReader {
    private static final Pattern LOCAL_TIME = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])");

    private final List<FieldError> errors = new ArrayList<>();
    private String context = "";

    /** Prefixes the messages added from now on with {@code prefix} ({@code ""} for none). */
    void context(String prefix) {
        context = prefix;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, context + message));
    }

    /** The errors of a parser that stops at its first (rules, templates), prefixed like the others. */
    void absorb(InvalidDocumentException e) {
        e.errors().forEach(f -> error(f.field(), f.message()));
    }

    /** Errors that already carry their own context. */
    void addAll(List<FieldError> more) {
        errors.addAll(more);
    }

    int count() {
        return errors.size();
    }

    List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Whether {@code node} is an object; adds an error naming {@code path} when not. */
    boolean object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be a JSON object");
            return false;
        }
        return true;
    }

    /** Adds an error for each field of {@code node} not in {@code allowed}. */
    void onlyFields(JsonNode node, Set<String> allowed, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                error(prefix + printable(n), "unknown field '" + printable(n) + "'");
            }
        }
    }

    static boolean present(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    /** The text of {@code field}, or {@code null} when it is absent (an error if {@code required}) or not a string. */
    String text(JsonNode node, String field, String path, boolean required) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                error(path, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            error(path, "must be a string");
            return null;
        }
        return n.asText();
    }

    /** The int of {@code field}, {@code dflt} when absent, or {@code null} when it is not an integer. */
    Integer integer(JsonNode node, String field, String path, Integer dflt) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                error(path, "is required");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            error(path, "must be an integer");
            return null;
        }
        return n.intValue();
    }

    /**
     * The value of {@code field} among {@code allowed} (read by {@code fromWire}), {@code dflt} when absent, or
     * {@code null} when it is not one of them (or absent and {@code dflt} is {@code null}).
     */
    <E> E choice(JsonNode node, String field, String path, Function<String, Optional<E>> fromWire, E dflt, String allowed) {
        if (!present(node, field)) {
            if (dflt == null) {
                error(path, "is required (" + allowed + ")");
            }
            return dflt;
        }
        String text = text(node, field, path, true);
        if (text == null) {
            return null;
        }
        Optional<E> value = fromWire.apply(text);
        if (value.isEmpty()) {
            error(path, "must be one of " + allowed + ", was '" + printable(text) + "'");
            return null;
        }
        return value.get();
    }

    /**
     * The ISO-8601 duration of {@code field} (the rule language's format, {@code "P3D"}, {@code "PT36H"}), whole
     * milliseconds; its sign and size are {@link JourneyValidator}'s to judge. {@code null} when absent or invalid.
     */
    Duration duration(JsonNode node, String field, String path, boolean required) {
        String text = text(node, field, path, required);
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            error(path, "'" + printable(text) + "' is not an ISO-8601 duration (e.g. \"P3D\", \"PT24H\")");
            return null;
        }
        if (d.getNano() % 1_000_000 != 0) {
            error(path, "must be a whole number of milliseconds");
            return null;
        }
        return d;
    }

    /** The local time of day {@code "HH:mm"} of {@code field}, or {@code null} when absent or malformed. */
    LocalTime localTime(JsonNode node, String field, String path, boolean required) {
        String text = text(node, field, path, required);
        if (text == null) {
            return null;
        }
        Matcher m = LOCAL_TIME.matcher(text);
        if (!m.matches()) {
            error(path, "must be a local time of day \"HH:mm\" from 00:00 to 23:59, was '" + printable(text) + "'");
            return null;
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** {@code HH:mm}. */
    static String localTimeText(LocalTime t) {
        return String.format("%02d:%02d", t.getHour(), t.getMinute());
    }

    /** {@code s} cut to 64 characters with control characters replaced, safe to quote in a message or path. */
    static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
