package io.beacon.engine.scoring;

import io.beacon.engine.state.Score;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateFeatures;
import io.beacon.event.ScoreChange;
import io.beacon.ml.score.ChampionChallenger;
import io.beacon.ml.score.Scorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When and how a user is scored (docs/engine.md, "Scores"). Pure over the state: it reads the state's features
 * through {@link UserStateFeatures}, writes the scores, {@link UserState#scoredAtMs()} and
 * {@link UserState#scoreDueAtMs()}, and answers the threshold crossings.
 *
 * <ul>
 *   <li>After events ({@link #afterEvents}): scored at once unless it was scored less than {@code debounce} ago;
 *       then the scoring is due at the end of the debounce (a timer scores it).</li>
 *   <li>On a timer ({@link #onTime}): scored when due (the debounce ended, or {@code refresh} passed since the
 *       last score), or when it was never scored.</li>
 *   <li>After a scoring, the next one is due {@code refresh} later. Without models nothing is due.</li>
 *   <li>A champion's score crosses threshold {@code t} up when it reaches {@code t} ({@code ≥ t}) from below or from
 *       no score, and down when it falls below {@code t} from {@code ≥ t}; staying on one side emits nothing.</li>
 * </ul>
 */
public final class UserScoring {

    /**
     * What a call did.
     *
     * @param changes   threshold crossings, in task order
     * @param scored    scores computed (champion and challenger each count)
     * @param nanos     time spent computing features and scores
     */
    public record Outcome(List<ScoreChange> changes, int scored, long nanos) {
        public static final Outcome NONE = new Outcome(List.of(), 0, 0);

        public Outcome {
            changes = List.copyOf(changes);
        }
    }

    private UserScoring() {
    }

    /** After events changed {@code s} at {@code nowMs} ({@code eventId}: the last applied one). */
    public static Outcome afterEvents(UserState s, Optional<ActiveModels> models, long nowMs, String eventId, ScoringSettings p) {
        if (models.isEmpty() || models.get().isEmpty()) {
            s.setScoreDueAtMs(Long.MAX_VALUE);
            return Outcome.NONE;
        }
        long last = s.scoredAtMs();
        if (last != Long.MIN_VALUE && nowMs - last < p.debounce().toMillis()) {
            s.setScoreDueAtMs(Math.min(s.scoreDueAtMs(), last + p.debounce().toMillis()));
            return Outcome.NONE;
        }
        return score(s, models.get(), nowMs, ScoreChange.Cause.EVENT, eventId, p);
    }

    /** On a timer at {@code nowMs}: scores when due. */
    public static Outcome onTime(UserState s, Optional<ActiveModels> models, long nowMs, ScoringSettings p) {
        if (models.isEmpty() || models.get().isEmpty()) {
            s.setScoreDueAtMs(Long.MAX_VALUE);
            return Outcome.NONE;
        }
        if (s.scoreDueAtMs() > nowMs && s.scoredAtMs() != Long.MIN_VALUE) {
            return Outcome.NONE;
        }
        return score(s, models.get(), nowMs, ScoreChange.Cause.TIME, null, p);
    }

    /** Scores {@code s} now with every task's models. */
    public static Outcome score(UserState s, ActiveModels models, long nowMs, ScoreChange.Cause cause, String eventId, ScoringSettings p) {
        long started = System.nanoTime();
        UserStateFeatures features = new UserStateFeatures(s);
        List<ScoreChange> changes = new ArrayList<>(0);
        int scored = 0;
        for (TaskModels t : models.all()) {
            double[] x = t.extractor().extract(features, nowMs);
            String name = ScoreNames.of(t.task());
            double v = t.champion().value(x);
            scored++;
            Score prev = s.scores().get(name);
            long crossings = prev == null ? 0 : prev.crossings();
            if (t.threshold().isPresent()) {
                ScoreChange.Direction d = crossing(prev == null ? null : prev.value(), v, t.threshold().getAsDouble());
                if (d != null) {
                    crossings++;
                    changes.add(new ScoreChange(ScoreChange.idOf(s.projectId(), s.personId(), name, crossings), s.projectId(),
                            s.personId(), name, v, prev == null ? null : prev.value(), t.championVersion(),
                            t.threshold().getAsDouble(), d, nowMs, cause, cause == ScoreChange.Cause.EVENT ? eventId : null));
                }
            }
            s.putScore(name, new Score(v, nowMs, t.championVersion(), crossings));
            String challengerName = ScoreNames.challengerOf(t.task());
            Optional<Scorer> challenger = t.challenger();
            if (challenger.isPresent() && ChampionChallenger.challengerScores(s.projectId(), s.personId(), t.challengerShare())) {
                s.putScore(challengerName, new Score(challenger.get().value(x), nowMs, t.challengerVersion(), 0));
                scored++;
            } else {
                s.removeScore(challengerName);
            }
        }
        s.setScoredAtMs(nowMs);
        s.setScoreDueAtMs(nowMs + p.refresh().toMillis());
        return new Outcome(changes, scored, System.nanoTime() - started);
    }

    /** The direction {@code value} crossed {@code threshold} in from {@code previous} (null: no score), or null. */
    public static ScoreChange.Direction crossing(Double previous, double value, double threshold) {
        boolean above = value >= threshold;
        if (previous == null) {
            return above ? ScoreChange.Direction.UP : null;
        }
        boolean wasAbove = previous >= threshold;
        if (above == wasAbove) {
            return null;
        }
        return above ? ScoreChange.Direction.UP : ScoreChange.Direction.DOWN;
    }
}
