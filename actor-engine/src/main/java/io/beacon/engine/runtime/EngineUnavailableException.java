package io.beacon.engine.runtime;

/**
 * A read of a user's state could not be answered now: the user's partition is being restored or moved to
 * another node (its entity answered {@link UserEntity.Status#NOT_OWNED}). Asking again later succeeds.
 */
public final class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message) {
        super(message);
    }
}
