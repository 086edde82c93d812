/**
 * The control plane's front door: {@link io.beacon.control.runtime.ControlPlane} wires the config store,
 * projects, registry, segments, discovery and the admin routes from
 * {@link io.beacon.control.ControlPlaneSettings}; the platform and the topology start it. Nothing else in the
 * module imports it.
 */
package io.beacon.control.runtime;
