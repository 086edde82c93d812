/**
 * Experiment analysis over the warehouse: {@link io.beacon.abtest.analysis.AnalysisSql} generates the
 * per-variation SQL (exposed units, multi-variation exclusions, windowed metrics with a CUPED
 * covariate), {@link io.beacon.abtest.analysis.ExperimentAnalysis} runs it through the
 * {@link io.beacon.abtest.AnalyticsQueries} port and applies the statistics.
 */
package io.beacon.abtest.analysis;
