package io.beacon.analytics;

/** One statement an analysis ran: its SQL, how long it took and how many rows it returned. */
public record QueryStats(String sql, long millis, int rows) {
}
