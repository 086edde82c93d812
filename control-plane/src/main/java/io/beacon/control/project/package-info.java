/**
 * Projects and their keys. {@link io.beacon.control.project.ProjectDirectory} resolves write keys
 * (gateway), secret keys (admin API) and ids (topology) from an index the config store keeps
 * current, so a rotated key works within moments and the old one stops.
 */
package io.beacon.control.project;
