package io.beacon.control.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners by kind. {@link #notify} and registration with replay run under one lock, so a
 * replaying listener sees every document exactly once.
 */
final class ListenerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);

    private record Registration(String kind, Consumer<Change> listener) {
    }

    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Object lock;

    /** @param lock the lock held while the view is updated and listeners are notified */
    public ListenerRegistry(Object lock) {
        this.lock = lock;
    }

    public AutoCloseable add(String kind, Consumer<Change> listener, Supplier<List<ConfigEntry>> current) {
        Registration registration = new Registration(kind, listener);
        synchronized (lock) {
            if (current != null) {
                for (ConfigEntry entry : current.get()) {
                    call(registration, new Change(entry.key(), Optional.empty(), Optional.of(entry)));
                }
            }
            registrations.add(registration);
        }
        return () -> registrations.remove(registration);
    }

    /** Calls the listeners of the change's kind; the caller holds the lock. */
    public void notify(Change change) {
        for (Registration r : registrations) {
            if (r.kind().equals(change.key().kind())) {
                call(r, change);
            }
        }
    }

    private static void call(Registration r, Change change) {
        try {
            r.listener().accept(change);
        } catch (RuntimeException e) {
            // A broken listener must not stop the view; the change is applied regardless.
            LOG.error("config listener for kind {} failed on {}", r.kind(), change.key(), e);
        }
    }
}
