/**
 * Experiment statistics as pure functions over per-variation summaries: Welch t-test with delta-method
 * relative lift ({@link io.beacon.abtest.stats.WelchTest}), Gaussian Bayesian chance to win
 * ({@link io.beacon.abtest.stats.BayesianTest}), sample ratio mismatch
 * ({@link io.beacon.abtest.stats.SrmTest}), CUPED ({@link io.beacon.abtest.stats.Cuped}), always-valid
 * confidence sequences ({@link io.beacon.abtest.stats.SequentialTest}) and minimum-data rules. The
 * distributions come from Apache Commons Math; only the experiment-specific formulas are written here.
 */
package io.beacon.abtest.stats;
