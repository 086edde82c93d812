package io.beacon.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Window;
import io.beacon.engine.journeys.UserJourneys;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.event.NumericText;
import io.beacon.event.PersonProperty;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the engine knows about one user (key {@code project:person}, as on
 * {@code beacon.events.valid}). Mutable and not thread-safe: one entity owns it.
 *
 * <p>{@link #apply} folds an event in: first/last seen (event time), a {@link WindowedCounter} per
 * event name (at most {@link EngineSettings#maxTrackedEventNames()} names; later names only add to
 * {@link #untrackedEvents()}), sessions (a session id not among the last
 * {@link EngineSettings#recentSessionIds()} seen counts as new), revenue (the project's revenue
 * property, numbers or numeric strings, in a {@link WindowedSum}), the latest events, and traits.
 * Traits follow the topology's person-property rule ({@link PersonProperty#versionOf}): every
 * non-group event's traits are {@code $set} values (latest event time wins), the object under the
 * trait {@code "$set_once"} holds set-once values (earliest wins, only while no {@code $set} value
 * exists) — so the result does not depend on arrival order.
 *
 * <p>Exactly-once folding: every event carries its Kafka offset; {@link #apply} ignores an offset at
 * or below {@link #appliedOffset()} (a replay after a crash), so nothing is counted twice.
 *
 * <p>Windows are pruned against the largest server receive time seen ({@link #clockMs()}), never
 * against client clocks, so one event with a far-future timestamp cannot wipe the counts.
 */
public final class UserState {
    static final String SET_ONCE = "$set_once";

    private final String projectId;
    private final String personId;
    long firstSeenMs = -1;
    long lastSeenMs = -1;
    long clockMs = Long.MIN_VALUE;
    final Map<String, WindowedCounter> counters = new HashMap<>();
    /** Every applied event, tracked name or not (the features' all-events counts and active days). */
    final WindowedCounter allEvents = new WindowedCounter();
    long untrackedEvents;
    long sessionsCount;
    final ArrayDeque<String> recentSessions = new ArrayDeque<>();
    final WindowedSum revenue = new WindowedSum();
    final ArrayList<RecentEvent> lastEvents = new ArrayList<>();
    final Map<String, JsonNode> traits = new TreeMap<>();
    final Map<String, Long> traitVersions = new HashMap<>();
    final Map<String, Long> memberships = new TreeMap<>();
    final Map<String, Score> scores = new TreeMap<>();
    long appliedOffset = -1;
    int partition = -1;
    long nextTimerAtMs = Long.MAX_VALUE;
    /** When the user was last scored (engine clock), {@link Long#MIN_VALUE} never. */
    long scoredAtMs = Long.MIN_VALUE;
    /** When the user must be scored without a new event (debounce or refresh), {@link Long#MAX_VALUE} never. */
    long scoreDueAtMs = Long.MAX_VALUE;
    /** The user's journey runs, send counts per channel and day, and recently applied journey inputs. */
    UserJourneys journeys = UserJourneys.EMPTY;

    public UserState(String projectId, String personId) {
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.personId = Objects.requireNonNull(personId, "personId");
    }

    /** A new state for the record key {@code project:person} (split at the first colon). */
    public static UserState forKey(String userKey) {
        int colon = userKey.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a user key is project:person, was " + userKey);
        }
        return new UserState(userKey.substring(0, colon), userKey.substring(colon + 1));
    }

    /**
     * Folds in {@code e}, read at Kafka {@code offset}.
     *
     * @return false, changing nothing, when {@code offset ≤ appliedOffset()} (already applied)
     */
    public boolean apply(Event e, long offset, EngineSettings s) {
        if (offset <= appliedOffset) {
            return false;
        }
        appliedOffset = offset;
        long t = e.eventTime();
        clockMs = Math.max(clockMs, e.receivedAt() > 0 ? e.receivedAt() : t);
        firstSeenMs = firstSeenMs < 0 ? t : Math.min(firstSeenMs, t);
        lastSeenMs = Math.max(lastSeenMs, t);

        WindowedCounter c = counters.get(e.eventName());
        if (c == null && counters.size() < s.maxTrackedEventNames()) {
            c = new WindowedCounter();
            counters.put(e.eventName(), c);
        }
        if (c != null) {
            c.increment(t, clockMs);
        } else {
            untrackedEvents++;
        }
        allEvents.increment(t, clockMs);

        String sid = e.sessionId();
        if (sid != null && !recentSessions.contains(sid)) {
            sessionsCount++;
            recentSessions.addLast(sid);
            while (recentSessions.size() > s.recentSessionIds()) {
                recentSessions.removeFirst();
            }
        }

        Double amount = revenueOf(e.properties().get(s.revenuePropertyFor(projectId)));
        if (amount != null) {
            revenue.add(t, amount, clockMs);
        }

        addRecent(new RecentEvent(e.eventId(), e.eventName(), t, sid), s.lastEventsKept());
        if (e.type() != EventType.GROUP) {
            applyTraits(e.traits(), t);
        }
        return true;
    }

    private void addRecent(RecentEvent r, int keep) {
        if (keep == 0) {
            return;
        }
        // newest first; equal times keep arrival order (newer arrival first)
        int i = 0;
        while (i < lastEvents.size() && lastEvents.get(i).timestampMs() > r.timestampMs()) {
            i++;
        }
        if (i >= keep) {
            return;
        }
        lastEvents.add(i, r);
        while (lastEvents.size() > keep) {
            lastEvents.remove(lastEvents.size() - 1);
        }
    }

    private void applyTraits(Map<String, Object> eventTraits, long t) {
        for (Map.Entry<String, Object> e : eventTraits.entrySet()) {
            if (SET_ONCE.equals(e.getKey()) && e.getValue() instanceof Map<?, ?> once) {
                for (Map.Entry<?, ?> o : once.entrySet()) {
                    setTrait(String.valueOf(o.getKey()), o.getValue(), PersonProperty.versionOf(true, t));
                }
            } else {
                setTrait(e.getKey(), e.getValue(), PersonProperty.versionOf(false, t));
            }
        }
    }

    private void setTrait(String key, Object value, long version) {
        Long current = traitVersions.get(key);
        if (current != null && current >= version) {
            return;
        }
        traitVersions.put(key, version);
        traits.put(key, EventCodec.mapper().valueToTree(value));
    }

    private static Double revenueOf(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        return v instanceof String s ? NumericText.parse(s) : null;
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** Events named {@code event} in {@code w} at {@code nowMs} ({@link WindowSpec#includes}). */
    public long count(String event, Window w, long nowMs) {
        WindowedCounter c = counters.get(event);
        return c == null ? 0 : c.count(w, nowMs);
    }

    /** Revenue in {@code w} at {@code nowMs}. */
    public double revenue(Window w, long nowMs) {
        return revenue.sum(w, nowMs);
    }

    /** The counter of {@code event}, or {@code null} when the user has none. */
    public WindowedCounter counter(String event) {
        return counters.get(event);
    }

    /** Tracked event names (unordered view). */
    public Set<String> eventNames() {
        return Collections.unmodifiableSet(counters.keySet());
    }

    public WindowedSum revenueSeries() {
        return revenue;
    }

    /** Sets score {@code name} without a model version (a score from elsewhere than the engine's models). */
    public void setScore(String name, double value, long atMs) {
        scores.put(name, new Score(value, atMs));
    }

    public void putScore(String name, Score score) {
        scores.put(name, score);
    }

    /** Removes score {@code name}; returns whether there was one. */
    public boolean removeScore(String name) {
        return scores.remove(name) != null;
    }

    /** Every applied event, also those past the tracked-names cap. */
    public WindowedCounter allEvents() {
        return allEvents;
    }

    /** When the user was last scored by a model (engine clock), {@link Long#MIN_VALUE} when never. */
    public long scoredAtMs() {
        return scoredAtMs;
    }

    public void setScoredAtMs(long atMs) {
        this.scoredAtMs = atMs;
    }

    /** When the user must be scored again without a new event, {@link Long#MAX_VALUE} when not. */
    public long scoreDueAtMs() {
        return scoreDueAtMs;
    }

    public void setScoreDueAtMs(long atMs) {
        this.scoreDueAtMs = atMs;
    }

    public UserJourneys journeys() {
        return journeys;
    }

    public void setJourneys(UserJourneys journeys) {
        this.journeys = Objects.requireNonNull(journeys, "journeys");
    }

    /**
     * Sets trait {@code key} as a journey's {@code update_traits} step does at {@code atMs}: like a trait of an event
     * at that time (a later event's value of the trait wins over it, an earlier one does not).
     */
    public void setTraitAt(String key, JsonNode value, long atMs) {
        setTrait(key, value, PersonProperty.versionOf(false, atMs));
    }

    /** Marks the user a member of {@code segmentId} since {@code atMs}. */
    public void enterSegment(String segmentId, long atMs) {
        memberships.put(segmentId, atMs);
    }

    /** Removes the membership; returns whether there was one. */
    public boolean exitSegment(String segmentId) {
        return memberships.remove(segmentId) != null;
    }

    public String projectId() {
        return projectId;
    }

    public String personId() {
        return personId;
    }

    /** {@code project:person}, the key on {@code beacon.events.valid} and in the partition store. */
    public String userKey() {
        return projectId + ":" + personId;
    }

    /** The earliest event time seen, −1 before any event. */
    public long firstSeenMs() {
        return firstSeenMs;
    }

    /** The latest event time seen, −1 before any event. */
    public long lastSeenMs() {
        return lastSeenMs;
    }

    /** The largest server receive time seen (the pruning clock), {@link Long#MIN_VALUE} before any event. */
    public long clockMs() {
        return clockMs;
    }

    public long sessionsCount() {
        return sessionsCount;
    }

    /** Events whose name was beyond the tracked-names cap. */
    public long untrackedEvents() {
        return untrackedEvents;
    }

    /** Newest first. */
    public List<RecentEvent> lastEvents() {
        return Collections.unmodifiableList(lastEvents);
    }

    public Map<String, JsonNode> traits() {
        return Collections.unmodifiableMap(traits);
    }

    /** Segment id → entered at (epoch ms), ordered by id. */
    public Map<String, Long> memberships() {
        return Collections.unmodifiableMap(memberships);
    }

    public Map<String, Score> scores() {
        return Collections.unmodifiableMap(scores);
    }

    /** The offset of the last applied event, −1 before any. */
    public long appliedOffset() {
        return appliedOffset;
    }

    public int partition() {
        return partition;
    }

    public void setPartition(int partition) {
        this.partition = partition;
    }

    /** When this user's segments must be re-evaluated without a new event ({@link Long#MAX_VALUE}: never). */
    public long nextTimerAtMs() {
        return nextTimerAtMs;
    }

    public void setNextTimerAtMs(long atMs) {
        this.nextTimerAtMs = atMs;
    }
}
