package io.beacon.loadtest.sim;

import java.util.List;

/** The shop funnel every simulated session may walk down, in order; users drop off between steps. */
public enum FunnelStep {
    PRODUCT_VIEWED("Product Viewed"),
    PRODUCT_ADDED("Product Added"),
    CHECKOUT_STARTED("Checkout Started"),
    ORDER_COMPLETED("Order Completed");

    private final String eventName;

    FunnelStep(String eventName) {
        this.eventName = eventName;
    }

    /** The Segment e-commerce spec event name of this step. */
    public String eventName() {
        return eventName;
    }

    /** The steps in funnel order. */
    public static List<FunnelStep> inOrder() {
        return List.of(values());
    }
}
