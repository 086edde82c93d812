/**
 * The validate stage: every mapped event is checked against its project's event/property registry
 * (mode, status, types with safe coercion, required and enum checks) and PII-transformed before it
 * can reach {@code beacon.events.valid}; rejections become dead letters with a stable reason code.
 *
 * <p>{@link io.beacon.streams.validate.EventValidation} is the pure core;
 * {@link io.beacon.streams.validate.RegistryRules} the port to the control plane's live registry view.
 */
package io.beacon.streams.validate;
