package io.beacon.ml.train;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.Task;
import io.beacon.ml.TrainerKind;
import io.beacon.ml.dataset.Dataset;
import io.beacon.ml.dataset.DatasetRow;
import io.beacon.ml.eval.Evaluation;
import io.beacon.ml.eval.EvaluationReport;
import io.beacon.ml.eval.FeatureWeight;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Trains a model on a {@link Dataset} with a time-based holdout: the rows of the older cutoffs train, the rows of
 * the newest cutoff test. Churn is classification ({@link Trainers#classification}), LTV regression
 * ({@link Trainers#regression}); linear models see standardized features (fitted on the training rows).
 */
public final class Training {
    /** How many features the report's importance list keeps. */
    public static final int TOP_FEATURES = 10;

    private Training() {
    }

    /**
     * @throws IllegalArgumentException with fewer than two cutoffs, or (churn) when the training rows hold only one class
     */
    public static TrainedModel train(Dataset ds, TrainerKind kind, long seed, Consumer<String> progress) {
        if (ds.cutoffs().size() < 2) {
            throw new IllegalArgumentException("a time-based holdout needs at least two cutoffs, the dataset has " + ds.cutoffs().size());
        }
        FeatureSpec spec = ds.spec();
        List<DatasetRow> train = ds.olderRows();
        List<DatasetRow> test = ds.newestRows();
        if (ds.task() == Task.CHURN) {
            long churned = train.stream().filter(r -> r.label() == 1).count();
            if (churned == 0 || churned == train.size()) {
                throw new IllegalArgumentException("the training rows hold one class only (" + churned + " churned of " + train.size() + ")");
            }
        }
        Standardization std = kind == TrainerKind.LOGISTIC ? Standardization.fit(train, spec.size()) : Standardization.identity(spec.size());
        progress.accept("training " + ds.task().id() + " with " + kind.id() + " on " + train.size() + " rows x " + spec.size()
                + " features (" + (ds.cutoffs().size() - 1) + " cutoffs), holdout " + test.size() + " rows");
        long started = System.nanoTime();
        Model<?> model = ds.task() == Task.CHURN
                ? Trainers.classification(kind, seed).train(tribuo(train, spec, std, new LabelFactory(), Training::label))
                : Trainers.regression(kind, seed).train(tribuo(train, spec, std, new RegressionFactory(), Training::regressor));
        progress.accept("trained in " + (System.nanoTime() - started) / 1_000_000 + " ms; evaluating on the newest cutoff");
        ModelPredictor predictor = new ModelPredictor(ds.task(), kind, spec, model, std);
        List<FeatureWeight> top = Importance.top(ds.task(), kind, spec, model, TOP_FEATURES);
        EvaluationReport report = evaluate(ds.task(), predictor, train, test, top);
        progress.accept("evaluation: " + report.metrics());
        TrainingInfo info = new TrainingInfo(seed, ds.cutoffs(), train.size(), test.size(), provenance(model, train.size(), spec.size()));
        return new TrainedModel(ds.task(), kind, spec, model, std, report, info);
    }

    static EvaluationReport evaluate(Task task, ModelPredictor predictor, List<DatasetRow> train, List<DatasetRow> test, List<FeatureWeight> top) {
        double[] predicted = new double[test.size()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = predictor.predict(test.get(i).features());
        }
        if (task == Task.CHURN) {
            boolean[] churned = new boolean[test.size()];
            for (int i = 0; i < churned.length; i++) {
                churned[i] = test.get(i).label() == 1;
            }
            return Evaluation.churn(predicted, churned, top);
        }
        double[] actual = test.stream().mapToDouble(DatasetRow::label).toArray();
        double[] prev = test.stream().mapToDouble(DatasetRow::revenuePrevH).toArray();
        double trainMean = train.stream().mapToDouble(DatasetRow::label).average().orElse(0);
        return Evaluation.ltv(predicted, actual, trainMean, prev, top);
    }

    static Label label(DatasetRow r) {
        return new Label(r.label() == 1 ? ModelPredictor.CHURN : ModelPredictor.STAY);
    }

    static Regressor regressor(DatasetRow r) {
        return new Regressor(ModelPredictor.LTV, r.label());
    }

    /** A Tribuo dataset of {@code rows}, standardized, every feature present (zeros included). */
    static <T extends Output<T>> MutableDataset<T> tribuo(List<DatasetRow> rows, FeatureSpec spec, Standardization std,
                                                        OutputFactory<T> factory, Function<DatasetRow, T> output) {
        String[] names = spec.featureNames().toArray(new String[0]);
        MutableDataset<T> ds = new MutableDataset<>(new SimpleDataSourceProvenance("beacon dataset, " + rows.size() + " rows", factory), factory);
        for (DatasetRow r : rows) {
            ds.add(new ArrayExample<>(output.apply(r), names, std.apply(r.features())));
        }
        return ds;
    }

    static Map<String, String> provenance(Model<?> model, int rows, int features) {
        ModelProvenance p = model.getProvenance();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tribuo_version", p.getTribuoVersion());
        m.put("model_class", p.getClassName());
        m.put("trainer_class", p.getTrainerProvenance().getClassName());
        m.put("trainer", p.getTrainerProvenance().toString());
        m.put("training_time", p.getTrainingTime().toString());
        m.put("dataset_rows", Integer.toString(rows));
        m.put("dataset_features", Integer.toString(features));
        return m;
    }
}
