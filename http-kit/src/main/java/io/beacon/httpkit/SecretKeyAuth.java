package io.beacon.httpkit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authentication by secret key ({@code Authorization: Bearer <secret key>}): the key names the caller's
 * principal (a project), looked up with the function given. A missing or unknown key is 401
 * {@code UNAUTHORIZED}.
 *
 * @param <P> what a key stands for
 */
public final class SecretKeyAuth<P> {
    private final Function<String, Optional<P>> lookup;

    /** @param lookup the principal of a secret key ({@code projects::bySecretKey}) */
    public SecretKeyAuth(Function<String, Optional<P>> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The principal of an {@code Authorization} header value. */
    public P authenticate(Optional<String> authorization) {
        return ofToken(Credentials.bearer(authorization));
    }

    /** The principal of a bearer token already read from the header. */
    public P ofToken(Optional<String> bearerToken) {
        if (bearerToken.isEmpty()) {
            throw ApiException.unauthorized("missing 'Authorization: Bearer <secret key>'");
        }
        return lookup.apply(bearerToken.get()).orElseThrow(() -> ApiException.unauthorized("the secret key is not valid"));
    }
}
