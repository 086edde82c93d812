/**
 * Training sets: {@link io.beacon.ml.dataset.DatasetBuilder} replays each person's history up to each cutoff
 * (point-in-time, through {@link io.beacon.ml.StateReplay}) and labels the events after it;
 * {@link io.beacon.ml.dataset.DatasetCsv} writes the rows for people who train elsewhere.
 */
package io.beacon.ml.dataset;
