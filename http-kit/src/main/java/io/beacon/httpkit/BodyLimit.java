package io.beacon.httpkit;

/** Size limits of request bodies read into memory. */
public final class BodyLimit {
    private BodyLimit() {
    }

    /**
     * {@code body} when it has at most {@code maxBytes}.
     *
     * @param what  names the body in the message ({@code "the query is larger than …"})
     * @param field the field of the error, or {@code null}
     * @throws ApiException 413 {@code BODY_TOO_LARGE}
     */
    public static byte[] requireAtMost(byte[] body, int maxBytes, String what, String field) {
        if (body.length > maxBytes) {
            throw new ApiException(413, "BODY_TOO_LARGE", "the " + what + " is larger than " + maxBytes + " bytes", field);
        }
        return body;
    }
}
