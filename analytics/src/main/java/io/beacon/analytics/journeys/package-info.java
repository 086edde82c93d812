/**
 * Journey figures from ClickHouse {@code journey_events} (issue 19, item 4): {@link io.beacon.analytics.journeys.JourneyReport}
 * over the pure statements of {@code JourneySql}.
 */
package io.beacon.analytics.journeys;
