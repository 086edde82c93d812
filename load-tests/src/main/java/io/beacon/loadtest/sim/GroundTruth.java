package io.beacon.loadtest.sim;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the simulator knows it generated, tallied while it decided each user's behaviour. Tests and
 * analyses compare query results against these numbers.
 *
 * @param users           simulated people
 * @param events          events generated
 * @param sessions        sessions (every session has at least one event)
 * @param countsByName    events per stored {@code event_name}
 * @param funnelUsers     distinct users who reached each {@link FunnelStep} (index = ordinal) in order within one session
 * @param funnelSessions  sessions that reached each step in order
 * @param purchasers      distinct users with at least one {@code Order Completed}
 * @param orders          {@code Order Completed} events
 * @param revenueCents    sum of order revenue, in cents
 * @param identifiedUsers users who logged in ({@code identify}) at least once
 * @param churners        users in the churning subpopulation
 * @param usersByPlatform users per platform column value
 * @param usersByTimezone users per IANA zone
 */
public record GroundTruth(long users, long events, long sessions, SortedMap<String, Long> countsByName,
                          List<Long> funnelUsers, List<Long> funnelSessions, long purchasers, long orders,
                          long revenueCents, long identifiedUsers, long churners,
                          SortedMap<String, Long> usersByPlatform, SortedMap<String, Long> usersByTimezone) {

    public GroundTruth {
        countsByName = Collections.unmodifiableSortedMap(new TreeMap<>(countsByName));
        usersByPlatform = Collections.unmodifiableSortedMap(new TreeMap<>(usersByPlatform));
        usersByTimezone = Collections.unmodifiableSortedMap(new TreeMap<>(usersByTimezone));
        funnelUsers = List.copyOf(funnelUsers);
        funnelSessions = List.copyOf(funnelSessions);
    }

    /** Accumulates per-user facts; not thread-safe. */
    static final class Tally {
        private long users;
        private long events;
        private long sessions;
        private final Map<String, Long> countsByName = new TreeMap<>();
        private final long[] funnelUsers = new long[FunnelStep.values().length];
        private final long[] funnelSessions = new long[FunnelStep.values().length];
        private long purchasers;
        private long orders;
        private long revenueCents;
        private long identifiedUsers;
        private long churners;
        private final Map<String, Long> usersByPlatform = new TreeMap<>();
        private final Map<String, Long> usersByTimezone = new TreeMap<>();

        void user(UserProfile profile) {
            users++;
            if (profile.churner()) {
                churners++;
            }
            usersByPlatform.merge(profile.platform().column(), 1L, Long::sum);
            usersByTimezone.merge(profile.timezone(), 1L, Long::sum);
        }

        void event(String name) {
            events++;
            countsByName.merge(name, 1L, Long::sum);
        }

        void session(int deepestStepOrdinal) {
            sessions++;
            for (int s = 0; s <= deepestStepOrdinal; s++) {
                funnelSessions[s]++;
            }
        }

        void userFunnel(int deepestStepOrdinal) {
            for (int s = 0; s <= deepestStepOrdinal; s++) {
                funnelUsers[s]++;
            }
        }

        void order(long cents) {
            orders++;
            revenueCents += cents;
        }

        void purchaser() {
            purchasers++;
        }

        void identified() {
            identifiedUsers++;
        }

        void add(Tally other) {
            users += other.users;
            events += other.events;
            sessions += other.sessions;
            other.countsByName.forEach((k, v) -> countsByName.merge(k, v, Long::sum));
            for (int i = 0; i < funnelUsers.length; i++) {
                funnelUsers[i] += other.funnelUsers[i];
                funnelSessions[i] += other.funnelSessions[i];
            }
            purchasers += other.purchasers;
            orders += other.orders;
            revenueCents += other.revenueCents;
            identifiedUsers += other.identifiedUsers;
            churners += other.churners;
            other.usersByPlatform.forEach((k, v) -> usersByPlatform.merge(k, v, Long::sum));
            other.usersByTimezone.forEach((k, v) -> usersByTimezone.merge(k, v, Long::sum));
        }

        GroundTruth freeze() {
            return new GroundTruth(users, events, sessions, new TreeMap<>(countsByName),
                    Arrays.stream(funnelUsers).boxed().toList(), Arrays.stream(funnelSessions).boxed().toList(),
                    purchasers, orders, revenueCents, identifiedUsers, churners,
                    new TreeMap<>(usersByPlatform), new TreeMap<>(usersByTimezone));
        }
    }
}
