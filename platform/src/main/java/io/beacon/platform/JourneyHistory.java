package io.beacon.platform;

import io.beacon.event.Event;
import java.util.List;
import java.util.Map;

/** The event history a journey dry run replays ({@link JourneySimulateRoutes}); {@link JourneyHistoryReader} on ClickHouse. */
interface JourneyHistory {
    /** Events of {@code projectId} ({@code personId} {@code null}: of everyone) with times in [from, to]. */
    long count(String projectId, String personId, long fromMs, long toMs);

    /** Those events per person, in event time order. */
    Map<String, List<Event>> read(String projectId, String personId, long fromMs, long toMs);
}
