package io.beacon.engine.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Rule;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the interpreter reads of a user, the port the engine implements over its user state
 * ({@code runtime.UserStateView}); tests pass a fake.
 */
public interface UserView {

    String projectId();

    String personId();

    /** Whether the realtime rule {@code rule} holds for the user at {@code nowMs}. */
    boolean matches(Rule rule, long nowMs);

    /** The earliest instant after {@code nowMs} at which {@link #matches} may answer differently with no new event, or {@link Long#MAX_VALUE}. */
    long nextChangeAtMs(Rule rule, long nowMs);

    /** The trait {@code name}, empty when the user has none (or it is JSON null). */
    Optional<JsonNode> trait(String name);

    /** The latest value of score {@code name}, empty when the user has none. */
    OptionalDouble score(String name);
}
