package io.beacon.engine.scoring;

import io.beacon.ml.Task;
import io.beacon.ml.feature.FeatureExtractor;
import io.beacon.ml.registry.LoadedModel;
import io.beacon.ml.score.Scorer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The models serving one task of one project: the champion (its score is the one segments read), an optional
 * challenger that also scores the users in its deterministic {@code challengerShare}
 * ({@link io.beacon.ml.score.ChampionChallenger}), the extractor of the champion's feature spec, and the threshold
 * whose crossing emits a score change (none: no changes). Immutable; swapped as a whole on promotion.
 */
public record TaskModels(Task task, Scorer champion, Optional<Scorer> challenger, double challengerShare,
                         FeatureExtractor extractor, OptionalDouble threshold) {

    public TaskModels {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(threshold, "threshold");
        if (champion.model().task() != task || challenger.filter(c -> c.model().task() != task).isPresent()) {
            throw new IllegalArgumentException("the models of task " + task.id() + " must predict it");
        }
        if (!(challengerShare >= 0 && challengerShare <= 1)) {
            throw new IllegalArgumentException("the challenger share is in [0, 1], was " + challengerShare);
        }
        if (challenger.isPresent() && !challenger.get().model().spec().fingerprint().equals(champion.model().spec().fingerprint())) {
            throw new IllegalArgumentException("champion and challenger of " + task.id() + " must read the same features");
        }
    }

    /** The models of {@code champion} (and {@code challenger} when not null at {@code share}). */
    public static TaskModels of(LoadedModel champion, LoadedModel challenger, double share, OptionalDouble threshold) {
        return new TaskModels(champion.task(), Scorer.of(champion), Optional.ofNullable(challenger).map(Scorer::of),
                challenger == null ? 0 : share, new FeatureExtractor(champion.spec()), threshold);
    }

    public String championVersion() {
        return champion.model().version();
    }

    /** The challenger's version, or {@code null}. */
    public String challengerVersion() {
        return challenger.map(c -> c.model().version()).orElse(null);
    }
}
