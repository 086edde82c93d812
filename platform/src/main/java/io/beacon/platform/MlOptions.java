package io.beacon.platform;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --name value} options of one {@code ./beacon ml} subcommand, read off as typed values. Every error names
 * the option and ends with the subcommand's usage line; {@link #finish()} refuses options the subcommand does not
 * take.
 */
final class MlOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(d|h|m|s|ms)");

    private final Map<String, String> values;
    private final String usage;

    private MlOptions(Map<String, String> values, String usage) {
        this.values = values;
        this.usage = usage;
    }

    /** The options of {@code args} from {@code from} on: {@code --name value} pairs, each name once. */
    static MlOptions parse(String[] args, int from, String usage) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected '" + a + "'; " + usage);
            }
            String name = a.substring(2);
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException("--" + name + " needs a value; " + usage);
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("--" + name + " given twice; " + usage);
            }
            values.put(name, args[++i]);
        }
        return new MlOptions(values, usage);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of {@code --name}, removed; {@code null} when absent. */
    String text(String name) {
        String v = values.remove(name);
        if (v != null && v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is empty; " + usage);
        }
        return v;
    }

    String required(String name) {
        String v = text(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required; " + usage);
        }
        return v;
    }

    Path path(String name) {
        String v = text(name);
        return v == null ? null : Path.of(v);
    }

    int positiveInt(String name, int dflt, int min) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, was '" + v + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ", was " + n);
        }
        return n;
    }

    long longValue(String name, long dflt) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, was '" + v + "'");
        }
    }

    /** A positive duration such as {@code 14d}, {@code 12h}, {@code 30m}, {@code 90s}, in ms; {@code null} when absent. */
    Long durationMs(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " takes a duration such as 14d, 12h, 30m or 90s, was '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "d" -> 86_400_000L;
            case "h" -> 3_600_000L;
            case "m" -> 60_000L;
            case "s" -> 1_000L;
            default -> 1L;
        };
        if (n <= 0) {
            throw new IllegalArgumentException("--" + name + " must be positive, was '" + v + "'");
        }
        return n * unit;
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or date ({@code 2026-12-01}, UTC midnight). */
    Instant instant(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        String t = v.trim();
        try {
            return t.length() == 10 ? Instant.parse(t + "T00:00:00Z") : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " takes an ISO-8601 instant such as 2026-12-01T00:00:00Z or a date"
                    + " such as 2026-12-01, was '" + v + "'");
        }
    }

    /** A comma-separated list, blanks dropped; {@code null} when absent. */
    List<String> list(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return List.copyOf(out);
    }

    /** One of {@code allowed} (case-insensitive), lower-cased; {@code dflt} when absent. */
    String choice(String name, String dflt, String... allowed) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        String lower = v.trim().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(lower)) {
            throw new IllegalArgumentException("--" + name + " is one of " + String.join("|", allowed) + ", was '" + v + "'");
        }
        return lower;
    }

    /** Refuses what is left: options this subcommand does not take. */
    void finish() {
        if (!values.isEmpty()) {
            Set<String> names = new TreeSet<>();
            values.keySet().forEach(n -> names.add("--" + n));
            throw new IllegalArgumentException("unknown option(s) " + String.join(", ", names) + "; " + usage);
        }
    }
}
