package io.beacon.loadtest.sim;

import java.util.List;

/**
 * One simulated person's whole history, in time order, with what the simulator tallied for it.
 *
 * @param profile who the user is
 * @param events  the user's events, oldest first
 * @param truth   this user's share of the {@link GroundTruth}
 */
public record UserHistory(UserProfile profile, List<SimEvent> events, GroundTruth truth) {
    public UserHistory {
        events = List.copyOf(events);
    }
}
