package io.beacon.gateway;

import java.util.Optional;

/**
 * Resolves a write key (the public key SDKs send with every call) to the project it belongs to.
 * The control plane implements it from its {@code ConfigStore}; {@link StaticWriteKeys} serves
 * tests and single-project set-ups. Implementations must be thread-safe and must not block: the
 * gateway calls them on the HTTP dispatcher for every request.
 */
public interface WriteKeys {
    /** The project id of {@code writeKey}, or empty when the key is unknown (or revoked). */
    Optional<String> projectFor(String writeKey);
}
