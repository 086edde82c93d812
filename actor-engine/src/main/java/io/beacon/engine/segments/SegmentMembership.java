package io.beacon.engine.segments;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.UserState;
import io.beacon.event.SegmentChange;
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
        List<SegmentChange> changes = new ArrayList<>(2);
        long next = Long.MAX_VALUE;
        int memberOfDefined = 0;
        for (SegmentDefinition def : inIdOrder(projectSegments)) {
            if (!def.projectId().equals(state.projectId())) {
                continue;
            }
            boolean member = state.memberships().containsKey(def.id());
            boolean matches = SegmentEvaluator.matches(def.rule(), state, nowMs);
            if (matches && !member) {
                state.enterSegment(def.id(), nowMs);
                changes.add(change(state, def.id(), def.version(), SegmentChange.Kind.ENTERED, nowMs, cause, eventId));
            } else if (!matches && member) {
                state.exitSegment(def.id());
                changes.add(change(state, def.id(), def.version(), SegmentChange.Kind.EXITED, nowMs, cause, eventId));
            }
            if (matches) {
                memberOfDefined++;
            }
            next = Math.min(next, SegmentEvaluator.nextChangeAtMs(def.rule(), state, nowMs));
        }
        if (state.memberships().size() > memberOfDefined) {
            // memberships of segments that are no longer defined (deleted)
            Set<String> defined = new HashSet<>();
            for (SegmentDefinition def : projectSegments) {
                if (def.projectId().equals(state.projectId())) {
                    defined.add(def.id());
                }
            }
            for (String id : List.copyOf(state.memberships().keySet())) {
                if (!defined.contains(id)) {
                    state.exitSegment(id);
                    changes.add(change(state, id, 0, SegmentChange.Kind.EXITED, nowMs, cause, eventId));
                }
            }
        }
        state.setNextTimerAtMs(next);
        return new Evaluation(changes, next);
    }

    /** The definitions by id; the catalog's lists are sorted already, so usually no copy is made. */
    private static List<SegmentDefinition> inIdOrder(List<SegmentDefinition> defs) {
        for (int i = 1; i < defs.size(); i++) {
            if (defs.get(i - 1).id().compareTo(defs.get(i).id()) > 0) {
                List<SegmentDefinition> sorted = new ArrayList<>(defs);
                sorted.sort((a, b) -> a.id().compareTo(b.id()));
                return sorted;
            }
        }
        return defs;
    }

    private static SegmentChange change(UserState s, String segmentId, long version, SegmentChange.Kind kind,
                                        long atMs, SegmentChange.Cause cause, String eventId) {
        return new SegmentChange(s.projectId(), s.personId(), segmentId, version, kind, atMs, cause,
                cause == SegmentChange.Cause.EVENT ? eventId : null);
    }
}
