/**
 * Online scoring of a user's state, pure: {@link io.beacon.engine.scoring.UserScoring} decides when a user is
 * scored (debounced after events, refreshed by time), scores it with the project's
 * {@link io.beacon.engine.scoring.ActiveModels} through the shared feature definition of ml-models, stores the
 * scores with their model versions in the state and reports threshold crossings as
 * {@link io.beacon.event.ScoreChange} records (docs/engine.md, "Scores").
 */
package io.beacon.engine.scoring;
