package io.beacon.control.dlq;

import io.beacon.event.RejectionCode;
import java.util.Objects;
import java.util.Optional;

/**
 * Which dead letters a listing shows; every present criterion must hold.
 *
 * @param projectId only letters of this project ({@code DeadLetter.projectId}); empty = every project,
 *                  including letters whose project could not be read (for operators, not for the API)
 * @param code      only this reason code
 * @param stage     only this stage ({@code parse}, {@code map}, {@code validate}, {@code sink}, …)
 */
public record DeadLetterFilter(Optional<String> projectId, Optional<RejectionCode> code, Optional<String> stage) {

    public DeadLetterFilter {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(stage, "stage");
    }

    /** Every letter of {@code projectId}. */
    public static DeadLetterFilter project(String projectId) {
        return new DeadLetterFilter(Optional.of(projectId), Optional.empty(), Optional.empty());
    }

    /** Every letter of every project. */
    public static DeadLetterFilter all() {
        return new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public DeadLetterFilter withCode(RejectionCode newCode) {
        return new DeadLetterFilter(projectId, Optional.ofNullable(newCode), stage);
    }

    public DeadLetterFilter withStage(String newStage) {
        return new DeadLetterFilter(projectId, code, Optional.ofNullable(newStage).filter(s -> !s.isEmpty()));
    }

    public boolean matches(DeadLetterRecord record) {
        var letter = record.letter();
        return projectId.map(p -> p.equals(letter.projectId())).orElse(true)
                && code.map(c -> c == letter.code()).orElse(true)
                && stage.map(s -> s.equals(letter.stage())).orElse(true);
    }
}
