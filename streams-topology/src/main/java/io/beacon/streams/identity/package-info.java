/**
 * Identity resolution: distinct ids to persons, guard rails, refusal of merges between identified
 * users; see {@link io.beacon.streams.identity.IdentityRules}.
 */
package io.beacon.streams.identity;
