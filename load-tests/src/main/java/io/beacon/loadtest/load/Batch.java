package io.beacon.loadtest.load;

/**
 * One request body ready to send.
 *
 * @param body   the encoded body (UTF-8 JSON)
 * @param events how many events it carries
 */
public record Batch(byte[] body, int events) {
    public Batch {
        if (events < 1) {
            throw new IllegalArgumentException("a batch carries at least one event");
        }
    }
}
