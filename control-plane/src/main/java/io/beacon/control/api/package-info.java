/**
 * The admin HTTP API under {@code /api/v1}: projects and keys, the event/property registry and the
 * validate endpoint, as pekko-http routes ({@link io.beacon.control.api.ControlPlaneRoutes#routes()})
 * the platform composes into its one server.
 */
package io.beacon.control.api;
