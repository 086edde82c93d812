package io.beacon.engine.runtime;

import io.beacon.control.journeys.JourneyCatalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link JourneySource} over control-plane's {@link JourneyCatalog}: one {@link ProjectJourneys} per project, built on
 * first use and dropped when any of the project's journeys, versions or caps changes.
 */
public final class JourneyCatalogSource implements JourneySource, AutoCloseable {
    private final JourneyCatalog catalog;
    private final Map<String, ProjectJourneys> cache = new ConcurrentHashMap<>();
    /** Counts changes: a build that saw a change happen while it read the catalog is not kept. */
    private final AtomicLong changes = new AtomicLong();
    private final AutoCloseable subscription;

    public JourneyCatalogSource(JourneyCatalog catalog) {
        this.catalog = catalog;
        this.subscription = catalog.onChange(project -> {
            changes.incrementAndGet();
            cache.remove(project);
        });
    }

    @Override
    public ProjectJourneys forProject(String projectId) {
        ProjectJourneys p = cache.get(projectId);
        if (p != null) {
            return p;
        }
        long seen = changes.get();
        p = ProjectJourneys.of(projectId, catalog.journeys(projectId), catalog.versions(projectId), catalog.caps(projectId));
        cache.put(projectId, p);
        if (changes.get() != seen) {
            cache.remove(projectId, p); // the catalog changed while it was read: the next read builds again
        }
        return p;
    }

    /** Stops listening to the catalog (the catalog itself belongs to the caller). */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot unsubscribe from the journey catalog", e);
        }
    }
}
