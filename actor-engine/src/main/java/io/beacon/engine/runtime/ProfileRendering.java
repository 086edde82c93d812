package io.beacon.engine.runtime;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.scoring.ActiveModels;
import io.beacon.engine.scoring.ScoreNames;
import io.beacon.engine.scoring.TaskModels;
import io.beacon.engine.state.ProfileJson;
import io.beacon.engine.state.ProfileView;
import io.beacon.engine.state.Score;
import io.beacon.engine.state.UserState;
import io.beacon.engine.state.UserStateFeatures;
import io.beacon.ml.Contribution;
import io.beacon.ml.score.Scorer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profile JSON of a user at an instant, with the names of the project's current segment definitions and the
 * explanations of its scores: a score whose model version is the active champion's (or challenger's) gets that
 * model's top {@code k} features ({@link Scorer#explain}) for the user's features at the instant.
 */
final class ProfileRendering {
    private ProfileRendering() {
    }

    static String render(UserState state, List<SegmentDefinition> segments, Optional<ActiveModels> models, int explainTop, long nowMs) {
        Map<String, String> names = new HashMap<>();
        for (SegmentDefinition d : segments) {
            names.put(d.id(), d.name());
        }
        ProfileView view = ProfileView.of(state, names::get, nowMs);
        if (models.isPresent() && explainTop > 0 && !state.scores().isEmpty()) {
            view = view.withExplanations(explanations(state, models.get(), explainTop, nowMs));
        }
        return ProfileJson.write(view).toString();
    }

    static Map<String, List<Contribution>> explanations(UserState state, ActiveModels models, int k, long nowMs) {
        Map<String, List<Contribution>> out = new HashMap<>();
        UserStateFeatures features = new UserStateFeatures(state);
        for (TaskModels t : models.all()) {
            double[] x = null;
            Score champion = state.scores().get(ScoreNames.of(t.task()));
            if (champion != null && t.championVersion().equals(champion.modelVersion())) {
                x = t.extractor().extract(features, nowMs);
                out.put(ScoreNames.of(t.task()), t.champion().explain(x, k));
            }
            Score challenger = state.scores().get(ScoreNames.challengerOf(t.task()));
            if (challenger != null && t.challenger().isPresent() && challenger.modelVersion().equals(t.challengerVersion())) {
                if (x == null) {
                    x = t.extractor().extract(features, nowMs);
                }
                out.put(ScoreNames.challengerOf(t.task()), t.challenger().get().explain(x, k));
            }
        }
        return out;
    }
}
