/** Lifecycle: per interval the new, returning, resurrecting and (negative) dormant persons. */
package io.beacon.analytics.lifecycle;
