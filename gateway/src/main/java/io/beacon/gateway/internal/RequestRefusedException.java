package io.beacon.gateway.internal;

import io.beacon.event.Rejection;
import io.beacon.event.RejectionCode;

/**
 * Carries a {@link Rejection} of the whole request through an asynchronous stage (reading the body,
 * authenticating) to {@link HttpErrors}, which turns it into the answer. Not an error of the
 * gateway: no stack trace is taken.
 */
public final class RequestRefusedException extends RuntimeException {
    private final transient Rejection rejection;

    public RequestRefusedException(Rejection rejection) {
        super(rejection.message(), null, false, false);
        this.rejection = rejection;
    }

    public static RequestRefusedException of(RejectionCode code, String message) {
        return new RequestRefusedException(Rejection.of(code, message));
    }

    public Rejection rejection() {
        return rejection;
    }
}
