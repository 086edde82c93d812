/**
 * Serving: {@link io.beacon.ml.score.Scorer} scores a feature vector with a loaded model (a dot-product fast path
 * for linear models) and explains it; {@link io.beacon.ml.score.ChampionChallenger} decides which users a
 * challenger model also scores.
 */
package io.beacon.ml.score;
