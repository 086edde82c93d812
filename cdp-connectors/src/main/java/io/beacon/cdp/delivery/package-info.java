/**
 * The pure decisions of delivery: when an attempt is due (retry schedule), what an answer means (verdicts), when a
 * destination is paused, degraded or disabled (circuit breaker, health) and how fast it may be called (rate
 * limiter). No I/O and no clock of their own: the workers pass the time in.
 */
package io.beacon.cdp.delivery;
