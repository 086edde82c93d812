/**
 * The HTTP conventions every Beacon API module shares (control plane, A/B testing, …): JSON request
 * parsing and binding that names the offending field ({@link io.beacon.control.api.http.Json}),
 * API-level refusals ({@link io.beacon.control.api.http.ApiException}) and the one mapping of errors
 * to answers {@code {"error":{"code","message","field"?}}} ({@link io.beacon.control.api.http.ApiErrors}).
 * Modules with errors of their own map those first and hand the rest to {@code ApiErrors}.
 */
package io.beacon.control.api.http;
