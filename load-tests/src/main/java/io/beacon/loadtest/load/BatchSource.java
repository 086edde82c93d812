package io.beacon.loadtest.load;

/**
 * Where the load generator takes its request bodies from. Called from the generator's one dispatch
 * thread only, so implementations need no locking; {@code null} means exhausted.
 */
@FunctionalInterface
public interface BatchSource {
    /** The next body, or {@code null} when there is none. */
    Batch next();
}
