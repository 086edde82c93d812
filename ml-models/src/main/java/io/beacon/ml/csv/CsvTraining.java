package io.beacon.ml.csv;

import io.beacon.ml.TrainerKind;
import io.beacon.ml.eval.Auc;
import io.beacon.ml.train.Trainers;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.columnar.ColumnarIterator;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.data.csv.CSVDataSource;
import org.tribuo.data.csv.CSVIterator;
import org.tribuo.dataset.DatasetView;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Trains on a feature CSV brought by the user (docs/ml.md, "CSV training"). A column whose non-blank values are
 * all numbers is numeric (Tribuo's {@link DoubleFieldProcessor}; a blank cell, such as Telco's
 * {@code TotalCharges} of new customers, gives no feature, i.e. 0 before standardization); every other column
 * is one-hot encoded ({@link IdentityProcessor}: one feature {@code column@value} per value). The id column, if
 * named, is dropped. The label must have two values; the positive one is "yes", "true", "1", "churn" or "y"
 * when present (case-insensitive), else the rarer value. Folds are stratified and deterministic: each class's
 * rows are shuffled with {@code seed} and dealt round-robin. Tribuo upper-cases label text, so labels compare
 * case-insensitively. The linear trainer standardizes the numeric
 * columns (Tribuo's {@link TransformTrainer} with {@link MeanStdDevTransformation}, fitted on each training fold).
 */
public final class CsvTraining {
    private static final Set<String> POSITIVE = Set.of("yes", "true", "1", "churn", "y");

    private CsvTraining() {
    }

    /** All three trainers. */
    public static CsvTrainingResult run(Path csv, String label, String idColumn, int folds, long seed, Consumer<String> progress)
            throws IOException {
        return run(csv, label, idColumn, folds, seed, List.of(TrainerKind.values()), progress);
    }

    /**
     * @param idColumn a column to drop (the row id), or {@code null}
     * @throws IllegalArgumentException when the label column is missing or does not have exactly two values
     */
    public static CsvTrainingResult run(Path csv, String label, String idColumn, int folds, long seed, List<TrainerKind> trainers,
                                        Consumer<String> progress) throws IOException {
        if (folds < 2) {
            throw new IllegalArgumentException("k-fold needs k >= 2, was " + folds);
        }
        Columns cols = scan(csv, label, idColumn);
        String positive = positiveOf(cols.labelCounts);
        Map<String, FieldProcessor> fields = new LinkedHashMap<>();
        Map<String, List<Transformation>> scaling = new HashMap<>();
        for (String c : cols.numeric) {
            fields.put(c, new DoubleFieldProcessor(c, true, false));
            scaling.put(c, List.of(new MeanStdDevTransformation()));
        }
        for (String c : cols.text) {
            fields.put(c, new IdentityProcessor(c));
        }
        LabelFactory factory = new LabelFactory();
        RowProcessor<Label> rows = new RowProcessor<>(new FieldResponseProcessor<>(label, "", factory), fields);
        MutableDataset<Label> data = new MutableDataset<>(new CSVDataSource<>(csv, rows, true));
        long positives = 0;
        for (Example<Label> e : data) {
            positives += e.getOutput().getLabel().equalsIgnoreCase(positive) ? 1 : 0;
        }
        progress.accept("csv: " + data.size() + " rows, " + data.getFeatureMap().size() + " features (" + cols.numeric.size()
                + " numeric columns, " + cols.text.size() + " one-hot), positive label '" + positive + "' " + positives + " rows");
        int[][] split = stratifiedFolds(data, positive, folds, seed);
        List<TrainerCv> results = new ArrayList<>();
        for (TrainerKind kind : trainers) {
            List<Double> aucs = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                Trainer<Label> trainer = Trainers.classification(kind, seed);
                if (kind == TrainerKind.LOGISTIC) {
                    trainer = new TransformTrainer<>(trainer, new TransformationMap(scaling));
                }
                DatasetView<Label> train = new DatasetView<>(data, trainIndices(split, f), "train-fold-" + f);
                DatasetView<Label> test = new DatasetView<>(data, split[f], "test-fold-" + f);
                Model<Label> model = trainer.train(train);
                aucs.add(auc(model, test, positive));
                progress.accept("csv: " + kind.id() + " fold " + (f + 1) + "/" + folds + " ROC AUC " + String.format(Locale.ROOT, "%.4f", aucs.get(f)));
            }
            double mean = aucs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            progress.accept("csv: " + kind.id() + " mean ROC AUC " + String.format(Locale.ROOT, "%.4f", mean) + " over " + folds + " folds");
            results.add(new TrainerCv(kind, aucs, mean));
        }
        return new CsvTrainingResult(data.size(), data.getFeatureMap().size(), cols.numeric, cols.text, positive,
                (double) positives / data.size(), folds, seed, results);
    }

    static double auc(Model<Label> model, DatasetView<Label> test, String positive) {
        List<Prediction<Label>> predictions = model.predict(test);
        double[] scores = new double[predictions.size()];
        boolean[] outcome = new boolean[predictions.size()];
        for (int i = 0; i < scores.length; i++) {
            Prediction<Label> p = predictions.get(i);
            scores[i] = 0;
            for (Map.Entry<String, Label> s : p.getOutputScores().entrySet()) {
                if (s.getKey().equalsIgnoreCase(positive)) {
                    scores[i] = s.getValue().getScore();
                }
            }
            outcome[i] = p.getExample().getOutput().getLabel().equalsIgnoreCase(positive);
        }
        return Auc.rocAuc(scores, outcome);
    }

    /** Fold → row indices: each class shuffled with {@code seed}, dealt round-robin over the folds. */
    static int[][] stratifiedFolds(MutableDataset<Label> data, String positive, int folds, long seed) {
        List<Integer> pos = new ArrayList<>();
        List<Integer> neg = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            (data.getExample(i).getOutput().getLabel().equalsIgnoreCase(positive) ? pos : neg).add(i);
        }
        Random rng = new Random(seed);
        Collections.shuffle(pos, rng);
        Collections.shuffle(neg, rng);
        List<List<Integer>> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            out.add(new ArrayList<>());
        }
        int next = 0;
        for (List<Integer> cls : List.of(pos, neg)) {
            for (int i : cls) {
                out.get(next++ % folds).add(i);
            }
        }
        int[][] split = new int[folds][];
        for (int f = 0; f < folds; f++) {
            split[f] = out.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return split;
    }

    static int[] trainIndices(int[][] split, int testFold) {
        List<Integer> idx = new ArrayList<>();
        for (int f = 0; f < split.length; f++) {
            if (f != testFold) {
                for (int i : split[f]) {
                    idx.add(i);
                }
            }
        }
        return idx.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    static String positiveOf(Map<String, Long> counts) {
        if (counts.size() != 2) {
            throw new IllegalArgumentException("the label needs exactly two values, has " + counts.keySet());
        }
        for (String v : counts.keySet()) {
            if (POSITIVE.contains(v.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        return counts.entrySet().stream().min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
    }

    /** The columns' kinds and the label's value counts, from one pass over the file. */
    static Columns scan(Path csv, String label, String idColumn) throws IOException {
        Map<String, Boolean> numeric = new LinkedHashMap<>();
        Map<String, Long> labels = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVIterator it = new CSVIterator(r, CSVIterator.SEPARATOR, CSVIterator.QUOTE)) {
            for (String f : it.getFields()) {
                numeric.put(f, Boolean.TRUE);
            }
            if (!numeric.containsKey(label)) {
                throw new IllegalArgumentException("no label column " + label + " in " + numeric.keySet());
            }
            while (it.hasNext()) {
                ColumnarIterator.Row row = it.next();
                for (Map.Entry<String, String> e : row.getRowData().entrySet()) {
                    String v = e.getValue() == null ? "" : e.getValue().trim();
                    if (e.getKey().equals(label)) {
                        labels.merge(v, 1L, Long::sum);
                    } else if (!v.isEmpty() && numeric.get(e.getKey()) == Boolean.TRUE && !isNumber(v)) {
                        numeric.put(e.getKey(), Boolean.FALSE);
                    }
                }
            }
        }
        Set<String> num = new LinkedHashSet<>();
        Set<String> text = new LinkedHashSet<>();
        for (Map.Entry<String, Boolean> e : numeric.entrySet()) {
            if (e.getKey().equals(label) || e.getKey().equals(idColumn)) {
                continue;
            }
            (e.getValue() ? num : text).add(e.getKey());
        }
        return new Columns(List.copyOf(num), List.copyOf(text), labels);
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    record Columns(List<String> numeric, List<String> text, Map<String, Long> labelCounts) {
    }
}
