package io.beacon.control.destinations;

import java.util.Locale;

/** What a destination receives: which adapter of the connectors delivers to it. */
public enum DestinationType {
    /** A Standard Webhooks signed POST of {@code {type, timestamp, data}}. */
    WEBHOOK,
    /** A provider-agnostic push request rendered from the destination's {@link PushTemplate}. */
    PUSH,
    /** Contact upserts mapped by {@link CrmSettings}, and audience-sync list changes. */
    CRM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException when {@code wire} is not one of {@code webhook}, {@code push}, {@code crm} */
    public static DestinationType fromWire(String wire) {
        for (DestinationType t : values()) {
            if (t.wireName().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of webhook, push, crm");
    }
}
