package io.beacon.httpkit;

import java.util.Optional;
import java.util.function.Function;

/**
 * How a module's own failure types answer (its domain exceptions that are not
 * {@link io.beacon.event.RefusedException}s, such as outages of its dependencies); {@link ApiErrors} asks
 * the mappings of a route in order and maps what none of them knows itself.
 */
@FunctionalInterface
public interface ErrorMapping {
    /** The answer to {@code failure} (already unwrapped from completion wrappers), or empty when not this mapping's. */
    Optional<ApiError> map(Throwable failure);

    /** Answers failures of {@code type} with {@code answer}. */
    static <T extends Throwable> ErrorMapping on(Class<T> type, Function<? super T, ApiError> answer) {
        return failure -> type.isInstance(failure) ? Optional.of(answer.apply(type.cast(failure))) : Optional.empty();
    }

    /** The first answer of {@code mappings}. */
    static ErrorMapping of(ErrorMapping... mappings) {
        return failure -> {
            for (ErrorMapping m : mappings) {
                Optional<ApiError> answer = m.map(failure);
                if (answer.isPresent()) {
                    return answer;
                }
            }
            return Optional.empty();
        };
    }
}
