package io.beacon.engine.segments;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.UserState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings a user's memberships up to date with the project's segment definitions: evaluates every
 * segment, records entries and exits in the state, and computes when to look again.
 */
public final class SegmentMembership {
    private SegmentMembership() {
    }

    /**
     * The outcome of one re-evaluation.
     *
     * @param changes       entries and exits, segments in id order (exits of deleted segments last)
     * @param nextTimerAtMs the earliest {@link SegmentEvaluator#nextChangeAtMs} over the segments, or
     *                      {@link Long#MAX_VALUE}
     */
    public record Evaluation(List<SegmentChange> changes, long nextTimerAtMs) {
        public Evaluation {
            changes = List.copyOf(changes);
        }
    }

    /**
     * Evaluates {@code projectSegments} (definitions of other projects are ignored) for {@code state}
     * at {@code nowMs}: enters matching segments it is not in, exits the ones it no longer matches,
     * and exits memberships of segments that are no longer defined (deleted; version 0). Updates the
     * state's memberships and {@link UserState#setNextTimerAtMs next timer}.
     */
    public static Evaluation reevaluate(UserState state, List<SegmentDefinition> projectSegments, long nowMs,
                                        SegmentChange.Cause cause, String eventId) {
        List<SegmentChange> changes = new ArrayList<>();
        Set<String> defined = new HashSet<>();
        long next = Long.MAX_VALUE;
        List<SegmentDefinition> sorted = new ArrayList<>(projectSegments);
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        for (SegmentDefinition def : sorted) {
            if (!def.projectId().equals(state.projectId())) {
                continue;
            }
            defined.add(def.id());
            boolean member = state.memberships().containsKey(def.id());
            boolean matches = SegmentEvaluator.matches(def.rule(), state, nowMs);
            if (matches && !member) {
                state.enterSegment(def.id(), nowMs);
                changes.add(change(state, def.id(), def.version(), SegmentChange.Kind.ENTERED, nowMs, cause, eventId));
            } else if (!matches && member) {
                state.exitSegment(def.id());
                changes.add(change(state, def.id(), def.version(), SegmentChange.Kind.EXITED, nowMs, cause, eventId));
            }
            next = Math.min(next, SegmentEvaluator.nextChangeAtMs(def.rule(), state, nowMs));
        }
        for (String id : List.copyOf(state.memberships().keySet())) {
            if (!defined.contains(id)) {
                state.exitSegment(id);
                changes.add(change(state, id, 0, SegmentChange.Kind.EXITED, nowMs, cause, eventId));
            }
        }
        state.setNextTimerAtMs(next);
        return new Evaluation(changes, next);
    }

    private static SegmentChange change(UserState s, String segmentId, long version, SegmentChange.Kind kind,
                                        long atMs, SegmentChange.Cause cause, String eventId) {
        return new SegmentChange(s.projectId(), s.personId(), segmentId, version, kind, atMs, cause,
                cause == SegmentChange.Cause.EVENT ? eventId : null);
    }
}
