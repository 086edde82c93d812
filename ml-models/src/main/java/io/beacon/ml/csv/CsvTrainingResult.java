package io.beacon.ml.csv;

import java.util.List;

/**
 * The outcome of {@link CsvTraining#run}: the data's shape and each trainer's cross-validated AUC.
 *
 * @param rows            examples loaded
 * @param features        distinct features after one-hot encoding
 * @param numericColumns  columns read as numbers
 * @param textColumns     columns one-hot encoded
 * @param positiveLabel   the label value counted as positive
 * @param positiveRate    its share of the rows
 * @param folds           k
 * @param seed            the fold and trainer seed
 * @param trainers        one entry per trainer, in the order asked
 */
public record CsvTrainingResult(int rows, int features, List<String> numericColumns, List<String> textColumns, String positiveLabel,
                                double positiveRate, int folds, long seed, List<TrainerCv> trainers) {

    public CsvTrainingResult {
        numericColumns = List.copyOf(numericColumns);
        textColumns = List.copyOf(textColumns);
        trainers = List.copyOf(trainers);
    }
}
