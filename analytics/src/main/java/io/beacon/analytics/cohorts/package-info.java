/**
 * Cohorts (user segmentation): definitions stored in the control plane's config store as documents of kind
 * {@value io.beacon.analytics.cohorts.Cohorts#KIND} ({@link io.beacon.analytics.cohorts.CohortDocument}), a rule
 * tree ({@link io.beacon.analytics.cohorts.Rule}) compiled to the SQL of the member set
 * ({@link io.beacon.analytics.cohorts.CohortSql}); dynamic cohorts are evaluated at query time, static ones are
 * materialized (or imported from CSV, {@link io.beacon.analytics.cohorts.CsvIds}) into {@code cohort_members}.
 * Semantics: {@code docs/analysis-semantics.md}, "Cohorts".
 */
package io.beacon.analytics.cohorts;
