package io.beacon.engine.runtime;

/**
 * Marker of every message the engine's actors exchange. The module's {@code reference.conf} binds it to
 * pekko's {@code jackson-cbor} serializer, so entity commands and replies can cross cluster nodes (a profile
 * request on one node is routed to the entity on the partition's owner). Tests run with
 * {@code pekko.actor.serialize-messages = on} to prove every message round-trips.
 */
public interface EngineMessage {
}
