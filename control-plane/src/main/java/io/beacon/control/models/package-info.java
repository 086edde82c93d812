/**
 * Which model version scores which task of a project: the promotion documents in the config store (kind
 * {@value io.beacon.control.models.ModelPromotion#KIND}), written by the models API and read by every engine
 * node, which hot-swaps the model named. The model files themselves live in the model directory (module
 * ml-models); this package holds only names and numbers.
 */
package io.beacon.control.models;
