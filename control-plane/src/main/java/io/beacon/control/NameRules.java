package io.beacon.control;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar of names users choose.
 *
 * <ul>
 *   <li><b>Definition names</b> (events, properties, enum values): 1–200 characters (code points), no
 *       control characters (Unicode category Cc, e.g. NUL, tab, newline), no leading or trailing
 *       whitespace. Anything else is allowed, so SDK names such as {@code Song Played} or
 *       {@code $current_url} are valid.</li>
 *   <li><b>Project ids</b>: {@code [a-z0-9][a-z0-9_-]{0,63}}; they appear in config keys, URLs and
 *       Kafka record keys.</li>
 * </ul>
 */
public final class NameRules {
    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private NameRules() {
    }

    /** Why {@code name} is not a valid definition name, or empty when it is. */
    public static Optional<String> checkName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME_LENGTH) {
            return Optional.of("must be at most " + MAX_NAME_LENGTH + " characters, was " + length);
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        if (Character.isWhitespace(name.codePointAt(0)) || Character.isWhitespace(name.codePointBefore(name.length()))) {
            return Optional.of("must not start or end with whitespace");
        }
        return Optional.empty();
    }

    /** Why {@code id} is not a valid project id, or empty when it is. */
    public static Optional<String> checkProjectId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (!PROJECT_ID.matcher(id).matches()) {
            return Optional.of("must match [a-z0-9][a-z0-9_-]{0,63}");
        }
        return Optional.empty();
    }
}
