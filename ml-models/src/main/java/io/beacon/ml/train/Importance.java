package io.beacon.ml.train;

import com.oracle.labs.mlrg.olcut.util.Pair;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.eval.FeatureWeight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;

/**
 * Feature importance of a model: linear models, the standardized weights ({@link LinearWeights}) by absolute
 * size; trees, Tribuo's {@link Model#getTopFeatures} (the churn label's list, else the all-outputs list).
 */
public final class Importance {

    private Importance() {
    }

    /** The {@code k} most important features, largest first. */
    public static List<FeatureWeight> top(Task task, TrainerKind kind, FeatureSpec spec, Model<?> model, int k) {
        List<FeatureWeight> out = new ArrayList<>();
        if (kind == TrainerKind.LOGISTIC) {
            LinearWeights w = LinearWeights.of(task, spec, model);
            for (int i = 0; i < spec.size(); i++) {
                out.add(new FeatureWeight(spec.featureNames().get(i), w.weightAt(i)));
            }
            out.sort(Comparator.comparingDouble((FeatureWeight f) -> -Math.abs(f.weight())).thenComparing(FeatureWeight::feature));
            return List.copyOf(out.subList(0, Math.min(k, out.size())));
        }
        Map<String, List<Pair<String, Double>>> top = model.getTopFeatures(-1);
        List<Pair<String, Double>> list = top.get(ModelPredictor.CHURN);
        if (list == null) {
            list = top.get(Model.ALL_OUTPUTS);
        }
        if (list == null && !top.isEmpty()) {
            list = top.values().iterator().next();
        }
        if (list != null) {
            for (Pair<String, Double> p : list) {
                if (!Model.BIAS_FEATURE.equals(p.getA())) {
                    out.add(new FeatureWeight(p.getA(), p.getB()));
                }
            }
        }
        out.sort(Comparator.comparingDouble((FeatureWeight f) -> -Math.abs(f.weight())).thenComparing(FeatureWeight::feature));
        return List.copyOf(out.subList(0, Math.min(k, out.size())));
    }
}
