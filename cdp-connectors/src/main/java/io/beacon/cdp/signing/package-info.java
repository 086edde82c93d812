/**
 * Standard Webhooks signatures: the {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
 * headers of every delivery, their verification (for receivers and tests) and the {@code whsec_} secret format.
 */
package io.beacon.cdp.signing;
