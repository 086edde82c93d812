/** The timestamp rule: device order preserved, future clamped, too-old flagged; see {@link io.beacon.streams.time.TimestampRule}. */
package io.beacon.streams.time;
