package io.beacon.control.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link EventValidator#validate}.
 *
 * @param verdict    accept, accept with warnings, or reject
 * @param violations every finding, errors and warnings, in the order found
 * @param properties the properties with every value that has a definition in canonical form
 *                   ({@link TypeCoercion}); values that failed keep their original form; unmodifiable
 */
public record ValidationResult(Verdict verdict, List<Violation> violations, Map<String, Object> properties) {
    public ValidationResult {
        violations = List.copyOf(violations);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public boolean rejected() {
        return verdict == Verdict.REJECT;
    }

    public List<Violation> errors() {
        return violations.stream().filter(Violation::isError).toList();
    }

    public List<Violation> warnings() {
        return violations.stream().filter(v -> !v.isError()).toList();
    }

    /** The reason to put on a dead-letter record. */
    public Optional<Violation> firstError() {
        return violations.stream().filter(Violation::isError).findFirst();
    }

    /** {@code CODE:field} of every warning, for the event's warnings column. */
    public List<String> warningTags() {
        return warnings().stream().map(Violation::tag).toList();
    }

    public ValidationResult withProperties(Map<String, Object> newProperties) {
        return new ValidationResult(verdict, violations, newProperties);
    }
}
