package io.beacon.control.destinations;

import java.util.Objects;

/**
 * The texts of a push destination, rendered per message from the person's traits and the trigger.
 *
 * @param title    required
 * @param body     required
 * @param deepLink the link opened by a tap, or {@code null}
 */
public record PushTemplate(Template title, Template body, Template deepLink) {
    public PushTemplate {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }
}
