package io.beacon.streams.sessions;

import io.beacon.event.Event;
import io.beacon.event.SessionSummary;
import io.beacon.streams.identity.IdentityRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Sessionization as a plain function of a device's state and its next event.
 *
 * <h2>Unit</h2>
 * Sessions are built per identity key — the anonymous/device id, else the user id (see
 * {@link IdentityRules#identityKey}) — after the event's person is resolved. A session is therefore one
 * visit of one person on one device: an identify in the middle of a visit does not split it (the
 * device key stays the same while the person changes from the anonymous id to the user), and two
 * devices used at the same time are two sessions. Every summary names the person of its latest event.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Client sessions.</b> An event with a valid client session id (not blank, at most 200
 *       characters, not a guard-rail value such as {@code null}/{@code undefined}) keeps it; the session
 *       is whatever the client put in it (posthog-js already applies 30 min / 24 h), summarised here
 *       without server-side splitting. An invalid client id is replaced by a server session
 *       (warning {@value #INVALID_SESSION_ID}).</li>
 *   <li><b>Gap.</b> An event joins a server session when it is less than {@code gap} away from it
 *       (before its start, inside it, or after its end); otherwise it starts a new session.</li>
 *   <li><b>Max length.</b> An event never makes a session span more than {@code maxLength}; if it
 *       would, it starts a new session.</li>
 *   <li><b>Late within grace.</b> An event at most {@code grace} behind the device's watermark (its
 *       latest event time) is placed exactly as in an in-order stream: if it bridges two sessions (is
 *       within the gap of both, and the union fits in the max length) they are merged into the earlier
 *       one, whose summary lists the merged id, and the merged-away session gets a tombstone.</li>
 *   <li><b>Late beyond grace.</b> An older event is attached to the nearest session it is within the gap
 *       of (extending it, never beyond the max length) but never merges sessions; if there is none it
 *       starts a session of its own. It is flagged {@value #LATE_EVENT}. So the result may differ from an
 *       in-order stream only for sessions a very late event would have bridged.</li>
 * </ul>
 * Lateness is measured on the device's own event times, not on the stream task's time: one device's
 * offline queue is not "late" because other devices in the same partition are ahead (the Kafka Streams
 * session windows would drop it). Nothing is dropped.
 *
 * <p>State is bounded: a device keeps the sessions that end within {@code maxLength + gap} of its
 * watermark, at most {@value #MAX_SESSIONS_KEPT}; the processor forgets a device
 * {@code stateRetention} after its last event arrived.
 */
public final class Sessionizer {
    /** Warning: the client's session id was not usable and a server session was assigned. */
    public static final String INVALID_SESSION_ID = "invalid_session_id";
    /** Warning: the event was later than the grace period behind its device's latest event. */
    public static final String LATE_EVENT = "late_event";
    /** Upper bound of sessions kept per device. */
    public static final int MAX_SESSIONS_KEPT = 32;

    private Sessionizer() {
    }

    /**
     * The outcome for one event.
     *
     * @param event      the event with its session id (and any new warning)
     * @param state      the device's next state
     * @param summary    the updated session's summary
     * @param tombstones ids of sessions merged away by this event
     */
    public record Assignment(Event event, DeviceState state, SessionSummary summary, List<String> tombstones) {
    }

    /** Whether a client-sent session id is kept. */
    public static boolean isValidClientSessionId(String id) {
        return id != null && id.length() <= 200 && IdentityRules.isMergeable(id);
    }

    /**
     * Assigns {@code event} (time corrected, person resolved) to a session of the device {@code deviceKey}.
     *
     * @param state the device's state ({@link DeviceState#empty()} for a new one)
     */
    public static Assignment assign(DeviceState state, Event event, String deviceKey, SessionSettings settings) {
        long t = event.eventTime();
        long gap = settings.gap().toMillis();
        long max = settings.maxLength().toMillis();
        List<SessionState> sessions = new ArrayList<>(state.sessions());
        List<String> tombstones = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        SessionState updated;
        String clientId = event.sessionId();
        if (isValidClientSessionId(clientId)) {
            int i = indexOf(sessions, clientId);
            updated = i < 0 ? SessionState.start(clientId, true, event) : sessions.remove(i).plus(event);
        } else {
            if (clientId != null) {
                warnings.add(INVALID_SESSION_ID);
            }
            boolean late = state.watermark() != Long.MIN_VALUE && t < state.watermark() - settings.grace().toMillis();
            if (late) {
                warnings.add(LATE_EVENT);
            }
            List<SessionState> candidates = new ArrayList<>();
            for (SessionState s : sessions) {
                if (!s.clientDefined() && distance(s, t) < gap && Math.max(s.end(), t) - Math.min(s.start(), t) <= max) {
                    candidates.add(s);
                }
            }
            candidates.sort(Comparator.comparingLong(SessionState::start));
            if (candidates.isEmpty()) {
                updated = SessionState.start(newSessionId(event, deviceKey), false, event);
            } else if (!late && candidates.size() > 1 && span(candidates, t) <= max) {
                SessionState survivor = candidates.get(0);
                sessions.remove(survivor);
                for (SessionState other : candidates.subList(1, candidates.size())) {
                    sessions.remove(other);
                    survivor = survivor.absorb(other);
                    tombstones.add(other.id());
                }
                updated = survivor.plus(event);
            } else {
                SessionState nearest = candidates.stream()
                        .min(Comparator.comparingLong((SessionState s) -> distance(s, t)).thenComparingLong(SessionState::start))
                        .orElseThrow();
                sessions.remove(nearest);
                updated = nearest.plus(event);
            }
        }
        sessions.add(updated);
        long watermark = Math.max(state.watermark(), t);
        long keepAfter = watermark - max - gap;
        sessions.removeIf(s -> s.end() < keepAfter && s != updated);
        sessions.sort(Comparator.comparingLong(SessionState::end));
        while (sessions.size() > MAX_SESSIONS_KEPT) {
            sessions.remove(sessions.get(0) == updated ? 1 : 0);
        }
        long version = state.version() + 1;
        Event assigned = event.withSessionId(updated.id());
        if (!warnings.isEmpty()) {
            List<String> all = new ArrayList<>(assigned.warnings());
            all.addAll(warnings);
            assigned = assigned.withWarnings(all);
        }
        DeviceState next = new DeviceState(watermark, state.clock(), version, Math.max(state.lastReceivedAt(), event.receivedAt()),
                sessions);
        return new Assignment(assigned, next, updated.summary(event.projectId(), deviceKey, version), tombstones);
    }

    /** A server session's id: a name-based UUID of the device and the event that opened it (stable under replays). */
    static String newSessionId(Event event, String deviceKey) {
        return UUID.nameUUIDFromBytes((event.projectId() + "\n" + deviceKey + "\n" + event.eventId())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static int indexOf(List<SessionState> sessions, String id) {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static long distance(SessionState s, long t) {
        return t < s.start() ? s.start() - t : t > s.end() ? t - s.end() : 0;
    }

    private static long span(List<SessionState> sessions, long t) {
        long lo = t;
        long hi = t;
        for (SessionState s : sessions) {
            lo = Math.min(lo, s.start());
            hi = Math.max(hi, s.end());
        }
        return hi - lo;
    }
}
