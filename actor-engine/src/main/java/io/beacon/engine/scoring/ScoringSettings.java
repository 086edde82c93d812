package io.beacon.engine.scoring;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Settings of online scoring, from {@code beacon.engine.scoring.*} (documented in the module's
 * {@code reference.conf}).
 *
 * @param debounce    a user is scored at most once per this long after events (later events set a timer)
 * @param refresh     a scored user is scored again after this long without events (time-based features age)
 * @param thresholds  per task, the threshold whose crossing emits a score change (absent: none)
 * @param explainTop  how many top features the profile API shows per score
 * @param servingSpec the feature definition the engine serves (a model trained on another is refused)
 */
public record ScoringSettings(Duration debounce, Duration refresh, Map<Task, Double> thresholds, int explainTop,
                              FeatureSpec servingSpec) {
    public static final String PREFIX = "beacon.engine.scoring";

    public ScoringSettings {
        if (debounce.isNegative() || refresh.isNegative() || refresh.isZero() || explainTop < 0) {
            throw new IllegalArgumentException("scoring debounce >= 0, refresh > 0, explain-top >= 0");
        }
        EnumMap<Task, Double> m = new EnumMap<>(Task.class);
        m.putAll(thresholds);
        thresholds = Map.copyOf(m);
    }

    /** The defaults of {@code reference.conf}. */
    public static ScoringSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /** Reads {@code beacon.engine.scoring.*} (with the module's reference defaults as fallback). */
    public static ScoringSettings fromConfig(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig(PREFIX);
        Map<Task, Double> thresholds = new EnumMap<>(Task.class);
        for (Map.Entry<String, ConfigValue> e : c.getConfig("thresholds").root().entrySet()) {
            Task task = taskOfScore(e.getKey());
            Object v = e.getValue().unwrapped();
            if (v instanceof Number n) {
                thresholds.put(task, n.doubleValue());
            } else if (v != null && !"none".equals(String.valueOf(v))) {
                throw new IllegalArgumentException(PREFIX + ".thresholds." + e.getKey() + " is a number or \"none\", was " + v);
            }
        }
        List<String> tracked = c.getStringList("features.tracked-events");
        List<String> qualifying = c.getStringList("features.qualifying-events");
        FeatureSpec spec = FeatureSpec.of(qualifying, tracked, c.getDuration("features.horizon").toMillis());
        return new ScoringSettings(c.getDuration("debounce"), c.getDuration("refresh"), thresholds, c.getInt("explain-top"), spec);
    }

    /** The threshold of {@code task}, empty when none is configured. */
    public OptionalDouble threshold(Task task) {
        Double t = thresholds.get(task);
        return t == null ? OptionalDouble.empty() : OptionalDouble.of(t);
    }

    public ScoringSettings withThreshold(Task task, double threshold) {
        Map<Task, Double> m = new EnumMap<>(Task.class);
        m.putAll(thresholds);
        m.put(task, threshold);
        return new ScoringSettings(debounce, refresh, m, explainTop, servingSpec);
    }

    public ScoringSettings withTimes(Duration newDebounce, Duration newRefresh) {
        return new ScoringSettings(newDebounce, newRefresh, thresholds, explainTop, servingSpec);
    }

    public ScoringSettings withServingSpec(FeatureSpec spec) {
        return new ScoringSettings(debounce, refresh, thresholds, explainTop, spec);
    }

    private static Task taskOfScore(String scoreName) {
        for (Task t : Task.values()) {
            if (ScoreNames.of(t).equals(scoreName)) {
                return t;
            }
        }
        throw new IllegalArgumentException(PREFIX + ".thresholds has " + scoreName + "; the scores are "
                + ScoreNames.CHURN_RISK + " and " + ScoreNames.LTV_PREDICTED);
    }
}
