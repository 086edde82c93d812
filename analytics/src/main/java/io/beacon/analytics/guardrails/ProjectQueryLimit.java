package io.beacon.analytics.guardrails;

import io.beacon.event.RefusedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most {@code perProject} queries of one project at a time (an analysis, a timeline page, a console
 * statement); one more is refused as busy, {@code TOO_MANY_QUERIES}, retry after a second (HTTP 429 with
 * {@code Retry-After: 1}). Refusing instead of queueing keeps one project from holding every thread.
 */
public final class ProjectQueryLimit {
    private final int perProject;
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    public ProjectQueryLimit(int perProject) {
        this.perProject = perProject;
    }

    /** A held permit; {@link #close()} gives it back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A permit for one query of {@code projectId}.
     *
     * @throws RefusedException busy ({@code TOO_MANY_QUERIES}) when the project already runs {@code perProject}
     */
    public Permit acquire(String projectId) {
        Semaphore s = permits.computeIfAbsent(projectId, k -> new Semaphore(perProject));
        if (!s.tryAcquire()) {
            throw new RefusedException(RefusedException.Kind.BUSY, "TOO_MANY_QUERIES", "this project already runs " + perProject
                    + " queries; retry when one finished", null, 1);
        }
        return s::release;
    }
}
