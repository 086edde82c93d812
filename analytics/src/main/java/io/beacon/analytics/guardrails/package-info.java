/**
 * Guard rails around the analyses: the result cache ({@link io.beacon.analytics.guardrails.ResultCache}, keyed
 * by project, normalized query, resolved cohorts and the data {@link io.beacon.analytics.guardrails.Watermark}),
 * the asynchronous {@code query_log} writer ({@link io.beacon.analytics.guardrails.QueryLog}) and the per-request
 * statement measurements it writes ({@link io.beacon.analytics.guardrails.StatementRecorder}) and the per-project
 * concurrency limit ({@link io.beacon.analytics.guardrails.ProjectQueryLimit}). The timeout is set on every
 * statement by {@link io.beacon.analytics.runtime.Analytics}.
 */
package io.beacon.analytics.guardrails;
