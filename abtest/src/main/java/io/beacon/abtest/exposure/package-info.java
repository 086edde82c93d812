/**
 * Exposure logging: served assignments become {@code $experiment_exposure} events with deterministic
 * ids, sent through the {@link io.beacon.abtest.ExposureSink} into the normal ingestion path.
 */
package io.beacon.abtest.exposure;
