/**
 * Labels and cutoffs: {@link io.beacon.ml.label.Labels} (churn and LTV over the facts after a cutoff T) and
 * {@link io.beacon.ml.label.Cutoffs} (several T stacked). Pure functions.
 */
package io.beacon.ml.label;
