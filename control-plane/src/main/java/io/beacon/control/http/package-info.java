/**
 * What the control plane adds to the HTTP kit ({@code io.beacon.httpkit}) for every module whose routes
 * touch config documents: the answers to its failures ({@link io.beacon.control.http.ControlPlaneErrors})
 * and request bodies bound to documents ({@link io.beacon.control.http.DocumentJson}).
 */
package io.beacon.control.http;
