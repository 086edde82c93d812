/**
 * Journey definitions (issue 19, the definition layer): the pure model, its strict JSON and its checks. Execution
 * (the engine's interpreter), the HTTP routes and the console come in other modules and packages.
 *
 * <p>A {@link io.beacon.control.journeys.JourneyDefinition} is stored under {@code journey/<project>/<id>} on
 * {@code beacon.config} as the JSON of {@link io.beacon.control.journeys.JourneyJson}:
 * <pre>
 * {"id":"welcome", "name":"Welcome", "description":"…"?,
 *  "status":"draft"|"live"|"paused"|"archived"           (default draft; JourneyStatus.canMoveTo)
 *  "journey_version":1,  "priority":0,                    (published version ≥ 1; higher priority wins a cap)
 *  "trigger":{"type":"segment_entered"|"segment_exited","segment_id":"new_users"}
 *          | {"type":"event","event":"signup","filters":[{"property":"plan","op":"eq","value":"pro"}]}
 *          | {"type":"score_crossed","score":"churn_risk"|"ltv_predicted","op":"above"|"below","threshold":0.7},
 *  "entry":"push1",
 *  "steps":{
 *    "push1":{"type":"send","destination_id":"fcm","channel":"push",
 *             "template":{"title":"Hi {{traits.name}}","body":"… {{journey.name}}"},"next":"wait"},
 *    "wait": {"type":"wait_until","event":{"event":"purchase","filters":[…]} | "condition":rule,
 *             "max_wait":"P2D","next":"vip","timeout_next":"nudge"},
 *    "vip":  {"type":"branch","condition":rule,"then":"crm","else":"done"},
 *    "nudge":{"type":"delay","duration":"PT12H" | "until_local_time":"09:00","next":"ab"},
 *    "ab":   {"type":"random_split","branches":[{"percent":50,"next":"crm"},{"percent":50,"next":"done"}]},
 *    "crm":  {"type":"update_traits","set":{"journey_welcome":"done"},"next":"done"},
 *    "done": {"type":"exit"}},
 *  "exit_criteria":[{"event":{"event":"purchase"}}, {"condition":rule}],   (checked on every event)
 *  "goal":{"event":{"event":"purchase"},"window":"P7D"}?,                   (converted)
 *  "re_entry":{"policy":"once"|"always"} | {"policy":"after","cooldown":"P30D"},   (default once)
 *  "quiet_hours":{"start":"22:00","end":"08:00","action":"delay"|"skip"}?,  (the user's zone; send steps only)
 *  "pause_behaviour":"hold"|"continue",                                     (default hold)
 *  "updated_at":"…"}
 * </pre>
 * Durations are ISO-8601 strings as in the rule language ({@code P2D}, {@code PT12H}); local times are
 * {@code HH:mm}; a {@code rule} is a realtime audience rule ({@link io.beacon.control.audience.RuleJson#parseRealtime});
 * event filters use the destination subscriptions' grammar ({@link io.beacon.control.journeys.EventFilters}); send
 * templates are {@link io.beacon.control.destinations.Template}s that may also use {@code journey.id},
 * {@code journey.name} and {@code step.id}. Every step but {@code exit} must name its next step: there is no
 * implicit end of run, so each path ends in an explicit {@code exit}. The document has no {@code version} field of
 * its own (the config store adds one); the published graph version is {@code journey_version}.
 *
 * <p>{@link io.beacon.control.journeys.JourneyValidator} rejects dangling and unreachable steps, cycles without a
 * {@code delay} or {@code wait_until}, unknown destinations and segments ({@link io.beacon.control.journeys.JourneyContext}),
 * split percents not summing to 100 and non-positive durations, each as a
 * {@link io.beacon.control.FieldError} naming the step ({@code steps.<id>.next}). Frequency caps across journeys are
 * their own document, {@link io.beacon.control.journeys.FrequencyCaps} ({@code journey_caps/<project>/default});
 * {@link io.beacon.control.journeys.StepMapping} validates and previews moving in-flight runs to a new version;
 * {@link io.beacon.control.journeys.JourneyCatalog} keeps the stored journeys for the engine.
 */
package io.beacon.control.journeys;
