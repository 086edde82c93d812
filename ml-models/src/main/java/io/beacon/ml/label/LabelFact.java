package io.beacon.ml.label;

/** What a label reads of one event: its name, event time (epoch ms) and revenue (0 when none). */
public record LabelFact(String eventName, long eventTimeMs, double revenue) {
}
