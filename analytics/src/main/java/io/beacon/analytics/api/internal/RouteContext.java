package io.beacon.analytics.api.internal;

import io.beacon.analytics.runtime.Analytics;
import io.beacon.control.project.Project;
import io.beacon.httpkit.SecretKeyAuth;

/**
 * What the analytics routes share: the module's entry point and authentication by the project's secret key.
 *
 * @param analytics the module's entry point
 * @param keys      the project of a secret key
 */
public record RouteContext(Analytics analytics, SecretKeyAuth<Project> keys) {
    public static RouteContext of(Analytics analytics) {
        return new RouteContext(analytics, new SecretKeyAuth<>(analytics.projects()::bySecretKey));
    }
}
