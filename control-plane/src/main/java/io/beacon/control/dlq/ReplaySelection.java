package io.beacon.control.dlq;

import io.beacon.event.RejectionCode;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which dead letters to replay. Every present criterion must hold (so {@code code} plus
 * {@code eventIds} replays those ids only if they have that code); at least one of {@code code},
 * {@code eventIds}, {@code positions} must be given: an empty selection is refused rather than read as
 * "everything".
 *
 * @param projectId only letters of this project; empty = any project (operators only)
 * @param code      only letters with this reason code
 * @param eventIds  only letters of these event ids (empty = no restriction)
 * @param positions only the letters at these DLQ positions (empty = no restriction)
 */
public record ReplaySelection(Optional<String> projectId, Optional<RejectionCode> code, Set<String> eventIds,
                              Set<DeadLetterPosition> positions) {

    /** Most ids or positions one selection may name. */
    public static final int MAX_ITEMS = 10_000;

    public ReplaySelection {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(code, "code");
        eventIds = Set.copyOf(new TreeSet<>(eventIds == null ? Set.of() : eventIds));
        positions = Set.copyOf(new TreeSet<>(positions == null ? Set.of() : positions));
        if (code.isEmpty() && eventIds.isEmpty() && positions.isEmpty()) {
            throw new IllegalArgumentException("select by code, event ids and/or offsets");
        }
        if (eventIds.size() > MAX_ITEMS || positions.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS + " event ids or offsets per replay");
        }
    }

    /** Every letter of {@code projectId} with {@code code}. */
    public static ReplaySelection byCode(String projectId, RejectionCode code) {
        return new ReplaySelection(Optional.ofNullable(projectId), Optional.of(code), Set.of(), Set.of());
    }

    /** The letters of {@code projectId} for these event ids. */
    public static ReplaySelection byEventIds(String projectId, Collection<String> eventIds) {
        return new ReplaySelection(Optional.ofNullable(projectId), Optional.empty(), Set.copyOf(eventIds), Set.of());
    }

    /** The letters of {@code projectId} at these DLQ positions. */
    public static ReplaySelection byPositions(String projectId, Collection<DeadLetterPosition> positions) {
        return new ReplaySelection(Optional.ofNullable(projectId), Optional.empty(), Set.of(), Set.copyOf(positions));
    }

    /** Whether {@code record} is selected. */
    public boolean matches(DeadLetterRecord record) {
        var letter = record.letter();
        return projectId.map(p -> p.equals(letter.projectId())).orElse(true)
                && code.map(c -> c == letter.code()).orElse(true)
                && (eventIds.isEmpty() || (letter.eventId() != null && eventIds.contains(letter.eventId())))
                && (positions.isEmpty() || positions.contains(record.position()));
    }
}
