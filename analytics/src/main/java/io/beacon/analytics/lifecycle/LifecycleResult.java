package io.beacon.analytics.lifecycle;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.beacon.analytics.QueryStats;
import java.util.List;

/** A lifecycle answer: one entry per period touching the range (also empty ones). */
public record LifecycleResult(String analysis, String timezone, String interval, List<Period> periods, List<QueryStats> queries,
                              long millis) {

    /**
     * @param period       the period's label (local start date: the day, the Monday, the 1st)
     * @param newPersons   persons whose first-ever matching event is in this period (JSON {@code new})
     * @param returning    active here and in the period before, not new
     * @param resurrecting active here, not in the period before, not new
     * @param dormant      minus the persons active in the period before but not here (≤ 0)
     */
    public record Period(String period, @JsonProperty("new") long newPersons, long returning,
                         long resurrecting, long dormant) {
    }
}
