package io.beacon.engine.runtime;

import io.beacon.control.segments.SegmentDefinition;
import io.beacon.engine.state.ProfileJson;
import io.beacon.engine.state.ProfileView;
import io.beacon.engine.state.UserState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The profile JSON of a user at an instant, with the names of the project's current segment definitions. */
final class ProfileRendering {
    private ProfileRendering() {
    }

    static String render(UserState state, List<SegmentDefinition> segments, long nowMs) {
        Map<String, String> names = new HashMap<>();
        for (SegmentDefinition d : segments) {
            names.put(d.id(), d.name());
        }
        return ProfileJson.write(ProfileView.of(state, names::get, nowMs)).toString();
    }
}
