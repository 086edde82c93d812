/**
 * Bring-your-own-data training: {@link io.beacon.ml.csv.CsvTraining} loads a feature CSV with Tribuo's columnar
 * loading (numbers as numbers, text one-hot) and reports the stratified k-fold ROC AUC of each trainer.
 */
package io.beacon.ml.csv;
