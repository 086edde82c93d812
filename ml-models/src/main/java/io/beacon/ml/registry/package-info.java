/**
 * Model artifacts in a model directory: {@link io.beacon.ml.registry.ModelStore} writes a version (Tribuo
 * protobuf plus a JSON {@link io.beacon.ml.registry.ModelManifest} with a SHA-256 of the model bytes), lists
 * versions and loads one, refusing corrupt, tampered, wrong-task, incompatible and out-of-directory artifacts
 * with a {@link io.beacon.ml.ModelRefusedException}.
 */
package io.beacon.ml.registry;
