package io.beacon.control.destinations;

import io.beacon.control.InvalidDocumentException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A push text ({@code "Hi {{traits.name}}"}) or a CRM field mapping value, checked when the destination
 * is defined so that a typo fails with 400 instead of sending empty texts for days. Placeholders are
 * {@code {{ variable }}} (blanks inside the braces are ignored); the known variables are {@code person_id},
 * {@code type}, {@code traits.<name>}, {@code event.name}, {@code event.properties.<name>}, {@code segment.id},
 * {@code segment.name} and {@code timestamp}. There is no escaping and no logic: a lone {@code }}} is
 * text, an unclosed {@code {{} is an error.
 *
 * @param source the text as written
 * @param parts  the text split into literal text and variables
 */
public record Template(String source, List<Template.Part> parts) {
    /** One piece of a template. */
    public sealed interface Part permits Text, Variable {
    }

    /** Literal text, copied as it is. */
    public record Text(String text) implements Part {
    }

    /** A placeholder, replaced by the variable's value (empty when it has none). */
    public record Variable(String name) implements Part {
    }

    private static final Set<String> PLAIN = Set.of("person_id", "type", "event.name", "segment.id", "segment.name", "timestamp");
    private static final List<String> PREFIXES = List.of("traits.", "event.properties.");
    private static final Pattern NAME_PART = Pattern.compile("[^\\s{}]{1,200}");

    public Template {
        Objects.requireNonNull(source, "source");
        parts = List.copyOf(parts);
    }

    /**
     * Parses {@code text}; {@code field} (e.g. {@code template.title}) names it in the error.
     *
     * @throws InvalidDocumentException for an unknown variable, an empty or unclosed placeholder
     */
    public static Template parse(String text, String field) {
        return parse(text, field, Set.of());
    }

    /**
     * Parses {@code text} allowing, besides the known variables, the exact names in {@code extraVariables}
     * (journeys add {@code journey.id}, {@code journey.name} and {@code step.id}).
     *
     * @throws InvalidDocumentException for a variable neither known nor extra, an empty or unclosed placeholder
     */
    public static Template parse(String text, String field, Set<String> extraVariables) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(extraVariables, "extraVariables");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Text(text.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(new Text(text.substring(at, open)));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw InvalidDocumentException.of(field, "has an unclosed '{{' at character " + open);
            }
            String name = text.substring(open + 2, close).trim();
            checkVariable(name, extraVariables).ifPresent(m -> {
                throw InvalidDocumentException.of(field, m);
            });
            parts.add(new Variable(name));
            at = close + 2;
        }
        return new Template(text, parts);
    }

    /**
     * A CRM field mapping value: a bare variable name ({@code traits.email}), or a text with
     * placeholders when it contains {@code {{}.
     */
    public static Template mappingValue(String value, String field) {
        Objects.requireNonNull(value, "value");
        if (value.contains("{{")) {
            return parse(value, field);
        }
        String name = value.trim();
        checkVariable(name).ifPresent(m -> {
            throw InvalidDocumentException.of(field, m);
        });
        return new Template(value, List.of(new Variable(name)));
    }

    /** Why {@code name} is not a known variable, or empty when it is. */
    public static Optional<String> checkVariable(String name) {
        return checkVariable(name, Set.of());
    }

    /** Why {@code name} is neither a known variable nor one of {@code extraVariables}, or empty when it is one. */
    public static Optional<String> checkVariable(String name, Set<String> extraVariables) {
        if (name == null || name.isEmpty()) {
            return Optional.of("has an empty placeholder '{{}}'");
        }
        if (PLAIN.contains(name) || extraVariables.contains(name)) {
            return Optional.empty();
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix) && NAME_PART.matcher(name.substring(prefix.length())).matches()) {
                return Optional.empty();
            }
        }
        String extra = extraVariables.isEmpty() ? "" : ", " + String.join(", ", new TreeSet<>(extraVariables));
        return Optional.of("uses the unknown variable '" + name + "' (known: person_id, type, traits.<name>, event.name, "
                + "event.properties.<name>, segment.id, segment.name, timestamp" + extra + ")");
    }

    /** The variables used, in order of first use. */
    public Set<String> variables() {
        Set<String> out = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p instanceof Variable v) {
                out.add(v.name());
            }
        }
        return out;
    }

    /** The text with every variable replaced by {@code lookup}'s value (an empty string when it has none). */
    public String render(Function<String, Optional<String>> lookup) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text());
            } else if (p instanceof Variable v) {
                Optional<String> value = lookup.apply(v.name());
                sb.append(value == null ? "" : value.orElse(""));
            }
        }
        return sb.toString();
    }
}
