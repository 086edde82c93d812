package io.beacon.abtest.experiment;

/**
 * One arm of an experiment; index 0 is the control.
 *
 * @param key    stable identifier (what SDKs and exposure events carry)
 * @param name   display name
 * @param weight share of covered traffic; either every variation has one or none (equal split)
 */
public record Variation(String key, String name, Double weight) {
}
