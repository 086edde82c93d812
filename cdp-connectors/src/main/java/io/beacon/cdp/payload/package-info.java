/**
 * The bodies sent to destinations, built from an outbox message so that every attempt sends (and signs) the same
 * bytes.
 */
package io.beacon.cdp.payload;
