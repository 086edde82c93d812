package io.beacon.analytics.query;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated reference to something an event or person has, as written in a query:
 * <ul>
 *   <li>an event column by name: {@code country}, {@code page_url}, … (the fixed list {@link #COLUMNS});</li>
 *   <li>{@code properties.<key>}: a custom event property;</li>
 *   <li>{@code person.<key>}: a current person property ({@code persons_current}).</li>
 * </ul>
 * Keys follow {@link #KEY}: letters, digits and {@code _ $ . : / -} and space, 1–128 characters, first
 * not a space. Quotes, backslashes, control characters and anything else are refused, so a name is never
 * an injection vector — and it is still written as an escaped literal.
 */
public record PropertyRef(Kind kind, String name) {

    /** What the reference points at. */
    public enum Kind {
        COLUMN, EVENT_PROPERTY, PERSON_PROPERTY,
        /** Membership of the row's resolved person in a cohort ({@code {"cohort": "<id>"}} filters); name = cohort id. */
        COHORT
    }

    /** Event columns that queries may name directly. */
    public static final Set<String> COLUMNS = Set.of("event_name", "event_type", "distinct_id", "user_id", "device_id",
            "session_id", "platform", "country", "region", "city", "device_model", "os_name", "os_version", "app_version",
            "page_url", "page_title", "page_path", "referrer", "library_name", "library_version", "group_id");

    /** The grammar of a custom property key. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_$.:/ \\-]{0,127}");

    /** Parses {@code ref}, naming {@code field} when it is refused. */
    public static PropertyRef parse(String ref, String field) {
        if (ref == null || ref.isEmpty()) {
            throw new InvalidQueryException(field, "must name a property (a column such as 'country', 'properties.<key>' or 'person.<key>')");
        }
        if (ref.startsWith("properties.")) {
            return new PropertyRef(Kind.EVENT_PROPERTY, key(ref.substring("properties.".length()), field));
        }
        if (ref.startsWith("person.")) {
            return new PropertyRef(Kind.PERSON_PROPERTY, key(ref.substring("person.".length()), field));
        }
        if (COLUMNS.contains(ref)) {
            return new PropertyRef(Kind.COLUMN, ref);
        }
        throw new InvalidQueryException(field, "unknown property '" + printable(ref)
                + "': use an event column (" + String.join(", ", COLUMNS.stream().sorted().toList()) + "), 'properties.<key>' or 'person.<key>'");
    }

    private static String key(String key, String field) {
        if (!KEY.matcher(key).matches()) {
            throw new InvalidQueryException(field, "property key '" + printable(key)
                    + "' is not allowed: 1–128 of letters, digits, space and _ $ . : / - (not starting with a space)");
        }
        return key;
    }

    /** Shortened, control characters shown as '?', for error messages. */
    static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    /** The event-level SQL expression of an event column or event property (String); not for person properties. */
    public String eventExpression() {
        return switch (kind) {
            case COLUMN -> name;
            case EVENT_PROPERTY -> "properties.value[indexOf(properties.key, " + SqlLiterals.string(name) + ")]";
            case PERSON_PROPERTY, COHORT -> throw new IllegalStateException("person properties and cohorts have no event expression");
        };
    }

    /** The reference as written in queries. */
    public String wire() {
        return switch (kind) {
            case COLUMN -> name;
            case EVENT_PROPERTY -> "properties." + name;
            case PERSON_PROPERTY -> "person." + name;
            case COHORT -> "cohort:" + name;
        };
    }
}
