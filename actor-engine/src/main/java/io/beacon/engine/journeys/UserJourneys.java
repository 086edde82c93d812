package io.beacon.engine.journeys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A user's journey state, owned by the user's actor and replaced by each {@link JourneyInterpreter} call: the latest
 * run of every journey the user entered (active or ended: its entry number and times decide re-entry), the sends of
 * the current local day per channel (frequency caps), and the ids of the inputs already applied (a replayed input
 * changes nothing). Encoded by {@link JourneyRunsCodec}.
 *
 * @param runs         journey id → the user's latest run of it, ordered by journey id
 * @param sendsToday   channel → the sends counted on one local day, ordered by channel
 * @param recentInputs the dedup keys of the last {@value #RECENT_INPUTS} applied inputs, oldest first
 */
public record UserJourneys(Map<String, JourneyRun> runs, Map<String, ChannelDay> sendsToday, List<String> recentInputs) {
    /** How many applied input keys are kept. */
    public static final int RECENT_INPUTS = 32;
    public static final UserJourneys EMPTY = new UserJourneys(Map.of(), Map.of(), List.of());

    /**
     * The sends of one channel on one local day.
     *
     * @param epochDay the local day in the user's zone ({@code LocalDate.toEpochDay()})
     * @param count    the sends counted on it
     */
    public record ChannelDay(long epochDay, int count) {
    }

    public UserJourneys {
        runs = Collections.unmodifiableMap(new TreeMap<>(runs));
        sendsToday = Collections.unmodifiableMap(new TreeMap<>(sendsToday));
        recentInputs = List.copyOf(recentInputs);
        runs.forEach((k, r) -> {
            if (!k.equals(r.journeyId())) {
                throw new IllegalArgumentException("run key '" + k + "' differs from its journey id '" + r.journeyId() + "'");
            }
        });
    }

    /** The latest run of {@code journeyId}, active or ended. */
    public Optional<JourneyRun> run(String journeyId) {
        return Optional.ofNullable(runs.get(journeyId));
    }

    /** The active runs, by journey id. */
    public List<JourneyRun> activeRuns() {
        List<JourneyRun> out = new ArrayList<>();
        for (JourneyRun r : runs.values()) {
            if (r.active()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The sends of {@code channel} counted on local day {@code epochDay}. */
    public int sendsOn(String channel, long epochDay) {
        ChannelDay d = sendsToday.get(channel);
        return d == null || d.epochDay() != epochDay ? 0 : d.count();
    }

    /** Whether the input with dedup key {@code key} was applied already. */
    public boolean applied(String key) {
        return recentInputs.contains(key);
    }

    /** The earliest {@link JourneyRun#wakeAtMs} of the active runs, {@link Long#MAX_VALUE} for none. */
    public long earliestWakeAtMs() {
        long min = Long.MAX_VALUE;
        for (JourneyRun r : runs.values()) {
            if (r.active()) {
                min = Math.min(min, r.wakeAtMs());
            }
        }
        return min;
    }

    /** This state with {@code run} as its journey's latest run. */
    public UserJourneys withRun(JourneyRun run) {
        Objects.requireNonNull(run, "run");
        Map<String, JourneyRun> next = new TreeMap<>(runs);
        next.put(run.journeyId(), run);
        return new UserJourneys(next, sendsToday, recentInputs);
    }

    /** This state with one more send of {@code channel} on local day {@code epochDay} (another day's count is dropped). */
    public UserJourneys withSend(String channel, long epochDay) {
        Map<String, ChannelDay> next = new TreeMap<>(sendsToday);
        next.put(channel, new ChannelDay(epochDay, sendsOn(channel, epochDay) + 1));
        return new UserJourneys(runs, next, recentInputs);
    }

    /** This state remembering input {@code key} as applied (the oldest key beyond {@value #RECENT_INPUTS} is dropped). */
    public UserJourneys withAppliedInput(String key) {
        List<String> next = new ArrayList<>(recentInputs);
        next.add(Objects.requireNonNull(key, "key"));
        while (next.size() > RECENT_INPUTS) {
            next.remove(0);
        }
        return new UserJourneys(runs, sendsToday, next);
    }
}
