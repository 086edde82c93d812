/** Paths: the most frequent transitions within sessions after a start event or before an end event (Sankey nodes and links). */
package io.beacon.analytics.paths;
