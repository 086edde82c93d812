/**
 * The PostHog capture protocol as a wire format: what {@code posthog-js} and the other PostHog SDKs
 * send to {@code /e}, {@code /i/v0/e}, {@code /capture}, {@code /track} and {@code /batch}, split into
 * items ({@link io.beacon.event.posthog.PostHogRequest}) and mapped to the canonical
 * {@link io.beacon.event.Event} ({@link io.beacon.event.PostHogMapper}). Pure: the HTTP
 * encodings (gzip, base64, lz-string, form fields) are undone by the gateway before these see JSON.
 *
 * <p>Field names follow PostHog's capture API ({@code api_key}/{@code token}, {@code event},
 * {@code distinct_id}, {@code uuid}, {@code timestamp}, {@code offset}, {@code sent_at},
 * {@code $set}, {@code $set_once}) and posthog-js's default properties ({@code $current_url},
 * {@code $pathname}, {@code $referrer}, {@code $os}, {@code $browser}, {@code $device_type},
 * {@code $session_id}, {@code $el_text}, {@code $elements_chain}, …).
 */
package io.beacon.event.posthog;
