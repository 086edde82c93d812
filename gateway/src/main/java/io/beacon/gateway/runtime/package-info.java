/**
 * The gateway's front door: {@link io.beacon.gateway.runtime.Gateway} composes the collection routes from
 * {@code internal} over the shared types of {@code io.beacon.gateway}; the platform starts it.
 */
package io.beacon.gateway.runtime;
