/** Retention: cohorts by start period (first-time or recurring) and returns per period offset ("on" / "on or after"). */
package io.beacon.analytics.retention;
