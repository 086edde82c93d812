/**
 * CDP destination definitions (issue 17 item 1): {@link io.beacon.control.destinations.DestinationDefinition}
 * documents ({@code destination/<project>/<id>} on {@code beacon.config}) with their
 * {@link io.beacon.control.destinations.Subscription subscriptions}, push
 * {@link io.beacon.control.destinations.Template templates} and CRM mapping; the strict JSON in
 * {@link io.beacon.control.destinations.DestinationJson}; the outbound address policy
 * {@link io.beacon.control.destinations.DestinationAddresses} (also used by the connectors when they send);
 * versioned, checked writes in {@link io.beacon.control.destinations.DestinationService}; a listener-maintained
 * {@link io.beacon.control.destinations.DestinationCatalog} for the connectors; the CRUD API
 * {@link io.beacon.control.destinations.DestinationRoutes} at {@code /api/v1/destinations}. Delivery lives in
 * the cdp-connectors module.
 */
package io.beacon.control.destinations;
