/**
 * Journey execution for one user (issue 19), pure: no actor, topic or table here. The engine calls
 * {@link io.beacon.engine.journeys.JourneyInterpreter} from the user's actor with the user's
 * {@link io.beacon.engine.journeys.UserJourneys} (stored with the user's state through
 * {@link io.beacon.engine.journeys.JourneyRunsCodec}), the project's {@link io.beacon.engine.journeys.JourneyVersions}
 * and frequency caps, a {@link io.beacon.engine.journeys.UserView} of the user, its clock and the user's zone (UTC when
 * the user has none), and writes what comes back: the new state, the sends (outbox), trait updates, the journey events
 * ({@code beacon.journey.events}) and the next wake time (a durable timer).
 *
 * <ul>
 *   <li><b>Entry.</b> A trigger (segment entered/exited, an event matching its filters, a score crossing the trigger's
 *       threshold from the other side or from no score) enters a live journey's current version when re-entry allows:
 *       {@code once} ever, {@code after} a cool-down since the last entry, {@code always}; never while a run of the
 *       journey is active. Entries are numbered 1, 2, … per journey and user.</li>
 *   <li><b>Walking.</b> A run passes {@code branch}, {@code random_split}, {@code update_traits}, {@code send} and
 *       {@code exit} steps in the same call and rests at a {@code delay} (a duration, or the next local time of day),
 *       a {@code wait_until} (up to {@code max_wait}, then {@code timeout_next}) or a send deferred by quiet hours. An
 *       event that matches a waiting run's {@code wait_until} moves it within that event's call; a condition wait is
 *       checked on every input and at its timers (the rule's next change, {@code UserView.nextChangeAtMs}). A run
 *       passing more than {@value io.beacon.engine.journeys.JourneyInterpreter#STEP_BUDGET} steps in one call ends
 *       with an {@code error} event. Reaching an {@code exit} step completes the run.</li>
 *   <li><b>Order in a call.</b> Runs of archived journeys exit ({@code archived}); runs whose journey or version is
 *       not given end with an {@code error}; goals are recorded (once per run, the goal event within its window of the
 *       entry, also after the run ended); exit criteria are checked for every active run, before any step moves
 *       ({@code exit_criteria}); then journey by journey, higher priority first (tie: id), due runs advance, waits
 *       move and new runs enter. Trait updates take effect when the engine applies them after the call.</li>
 *   <li><b>Sends.</b> The idempotency key is {@code journey/<id>/v<version>/<person>/<entry>/<step>}. Frequency caps
 *       count sends per channel per local day across all journeys; a send over its cap is not sent, gives
 *       {@code capped}, and the run goes on. Inside the journey's quiet hours a send waits to their end
 *       ({@code delay}) or is skipped with {@code suppressed} (reason {@code quiet_hours}; {@code skip}).</li>
 *   <li><b>Splits.</b> {@code random_split} puts a user in bucket FNV-1a 32 of {@code journey/<id>/<person>} mod 100
 *       ({@code SplitBucket}); the branches take consecutive ranges of their percents.</li>
 *   <li><b>Versions and lifecycle.</b> A run stays on its version; {@link
 *       io.beacon.engine.journeys.JourneyInterpreter#applyMapping} moves runs at mapped steps only ({@code moved}), due
 *       at once so the next timer carries them on. A paused journey takes no entries; with {@code hold} its runs do
 *       not move (exit criteria and goals still apply) and a due run is looked at again every
 *       {@code HOLD_RECHECK}; with {@code continue} they go on.</li>
 *   <li><b>Replays.</b> An input with an event id is applied once: {@link io.beacon.engine.journeys.UserJourneys}
 *       keeps the last keys, and a timer that fired has moved its run's wake time, so replaying an input on the stored
 *       state sends nothing twice.</li>
 * </ul>
 * Every journey event carries {@code seq}, its number within its run (0 for {@code entered}).
 */
package io.beacon.engine.journeys;
