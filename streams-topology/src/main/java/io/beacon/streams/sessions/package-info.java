/**
 * Sessionization of the event stream per device after identity resolution; see
 * {@link io.beacon.streams.sessions.Sessionizer}. Session summaries go to {@code beacon.sessions}.
 */
package io.beacon.streams.sessions;
