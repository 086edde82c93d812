/**
 * The HTTP layer every Beacon module's routes share. Authentication: bearer secret keys
 * ({@link io.beacon.httpkit.SecretKeyAuth}), the admin token ({@link io.beacon.httpkit.AdminToken}) and write
 * keys ({@link io.beacon.httpkit.Credentials}). The error body {@code {"error":{"code","message","field"?}}}
 * ({@link io.beacon.httpkit.ErrorBody}, {@link io.beacon.httpkit.ApiError}) and the one mapping of failures to
 * statuses ({@link io.beacon.httpkit.ApiErrors}): domain code throws {@link io.beacon.event.RefusedException}
 * (or its own exceptions, which a module maps with an {@link io.beacon.httpkit.ErrorMapping}) and never
 * names a status; routes throw {@link io.beacon.httpkit.ApiException}. JSON entities
 * ({@link io.beacon.httpkit.Json}), optimistic-concurrency versions ({@link io.beacon.httpkit.Versions}), body
 * limits ({@link io.beacon.httpkit.BodyLimit}), the endpoint directives ({@link io.beacon.httpkit.ApiRoutes})
 * and JSON routing rejections ({@link io.beacon.httpkit.JsonRejections}). Busy refusals answer 429 with
 * {@code Retry-After}.
 */
package io.beacon.httpkit;
