package io.beacon.analytics.cohorts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a CSV of ids for a static cohort import (pure): one id per line (distinct ids or person ids: both are
 * resolved through the identity links when the cohort is read), an optional header line {@code distinct_id},
 * {@code person_id} or {@code id}, optional double quotes (RFC 4180, {@code ""} inside), blank lines skipped,
 * duplicates kept once. A line with more than one field, an empty quoted id, an id over 200 characters or with
 * control characters is an error; the parse reports up to {@value #MAX_ERRORS} errors with their line numbers
 * and yields no ids when there is any.
 */
public final class CsvIds {
    public static final int MAX_ERRORS = 20;
    public static final int MAX_ID = 200;

    /** An error on a (1-based) line. */
    public record LineError(int line, String message) {
    }

    /** Parsed ids (empty when there are errors) and the errors. */
    public record Parsed(List<String> ids, List<LineError> errors, int lines) {
    }

    private CsvIds() {
    }

    public static Parsed parse(String text, int maxIds) {
        Set<String> ids = new LinkedHashSet<>();
        List<LineError> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            if (raw.strip().isEmpty()) {
                continue;
            }
            String value = raw.strip();
            if (i == 0 && (value.equalsIgnoreCase("distinct_id") || value.equalsIgnoreCase("person_id") || value.equalsIgnoreCase("id"))) {
                continue;
            }
            String id;
            try {
                id = field(value);
            } catch (IllegalArgumentException e) {
                add(errors, lineNo, e.getMessage());
                continue;
            }
            if (id.isEmpty()) {
                add(errors, lineNo, "empty id");
            } else if (id.length() > MAX_ID) {
                add(errors, lineNo, "id longer than " + MAX_ID + " characters");
            } else if (id.chars().anyMatch(Character::isISOControl)) {
                add(errors, lineNo, "id contains control characters");
            } else if (++count > maxIds) {
                add(errors, lineNo, "more than " + maxIds + " ids");
                break;
            } else {
                ids.add(id);
            }
        }
        return new Parsed(errors.isEmpty() ? List.copyOf(ids) : List.of(), List.copyOf(errors), lines.length);
    }

    private static String field(String value) {
        if (!value.startsWith("\"")) {
            if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0) {
                throw new IllegalArgumentException("one id per line (found a comma or a stray quote)");
            }
            return value;
        }
        StringBuilder sb = new StringBuilder();
        int i = 1;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '"') {
                if (i + 1 < value.length() && value.charAt(i + 1) == '"') {
                    sb.append('"');
                    i += 2;
                    continue;
                }
                if (i != value.length() - 1) {
                    throw new IllegalArgumentException("one id per line (text after the closing quote)");
                }
                return sb.toString();
            }
            sb.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated quote");
    }

    private static void add(List<LineError> errors, int line, String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new LineError(line, message));
        }
    }
}
