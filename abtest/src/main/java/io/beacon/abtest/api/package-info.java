/**
 * The A/B testing HTTP API: experiments CRUD and lifecycle, assignments (single and batch), the
 * GrowthBook SDK payload and results; see {@link io.beacon.abtest.api.AbtestRoutes}.
 */
package io.beacon.abtest.api;
