package io.beacon.loadtest.sim;

/**
 * Who a simulated person is; drawn once from the seed and the user's index.
 *
 * @param index       0-based user number
 * @param anonymousId the device/browser id the SDK sends before and after login
 * @param userId      the id sent after login ({@code identify}); every user has one, not every user logs in
 * @param platform    web, iOS or Android
 * @param timezone    IANA zone; sessions happen in this zone's daytime
 * @param country     ISO country code matching the zone
 * @param locale      BCP 47 locale
 * @param churner     whether the user belongs to the churning subpopulation
 * @param churnDay    the day (0-based) from which a churner's activity decays; -1 for others
 * @param activity    the user's own sessions-per-day multiplier
 * @param buyer       the user's purchase propensity (mean 1 over users, gamma-distributed): the chance p of viewing a
 *                    product, adding it and checking out becomes {@code 1 - (1 - p)^buyer} for this user
 */
public record UserProfile(int index, String anonymousId, String userId, Platform platform, String timezone,
                          String country, String locale, boolean churner, int churnDay, double activity,
                          double buyer) {
}
