/**
 * The A/B module's front door: {@link io.beacon.abtest.runtime.Abtest} wires the catalog, assignment,
 * exposure logging, analysis and routes from {@link io.beacon.abtest.runtime.AbtestSettings}; the platform
 * starts it.
 */
package io.beacon.abtest.runtime;
