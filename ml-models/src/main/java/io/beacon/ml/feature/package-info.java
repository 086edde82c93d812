/**
 * Feature extraction, the one definition training and serving share: {@link io.beacon.ml.feature.FeatureExtractor}
 * turns a {@link io.beacon.ml.FeatureState} at a time into the vector a {@link io.beacon.ml.FeatureSpec} names.
 */
package io.beacon.ml.feature;
