package io.beacon.control.journeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.RuleJson;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationJson;
import io.beacon.control.destinations.Template;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.store.ConfigEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of journey definitions (the document is described in the package documentation). Parsing is strict and
 * reports every problem it finds, not just the first: unknown fields, wrong JSON types, missing fields, unknown
 * step or trigger types, malformed durations and local times, unknown template variables, then the
 * {@link JourneyValidator} checks of the graph and the references. Step problems are named
 * {@code steps.<id>.<field>} and their messages start with the step ({@code step 'wait': …}).
 */
public final class JourneyJson {
    public static final int MAX_STEPS = 200;
    public static final int MAX_EXIT_CRITERIA = 20;
    public static final int MAX_SPLIT_BRANCHES = 10;
    public static final int MAX_TEMPLATE_FIELDS = 20;
    public static final int MAX_TEMPLATE_LENGTH = DestinationJson.MAX_TEMPLATE_LENGTH;
    public static final int MAX_TRAITS = 50;
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    /** The template variables a send step has besides {@link Template}'s own. */
    public static final Set<String> TEMPLATE_VARIABLES = Set.of("journey.id", "journey.name", "step.id");

    private static final String STEP_TYPES = "send, delay, wait_until, branch, random_split, update_traits, exit";
    private static final String TRIGGER_TYPES = "segment_entered, segment_exited, event, score_crossed";
    private static final Set<String> BODY_FIELDS = Set.of("id", "project_id", "name", "description", "status",
            "journey_version", "priority", "trigger", "entry", "steps", "exit_criteria", "goal", "re_entry", "quiet_hours",
            "pause_behaviour", "version", "updated_at");
    private static final Set<String> SEGMENT_TRIGGER_FIELDS = Set.of("type", "segment_id");
    private static final Set<String> EVENT_TRIGGER_FIELDS = Set.of("type", "event", "filters");
    private static final Set<String> SCORE_TRIGGER_FIELDS = Set.of("type", "score", "op", "threshold");
    private static final Set<String> SEND_FIELDS = Set.of("type", "destination_id", "channel", "template", "next");
    private static final Set<String> DELAY_FIELDS = Set.of("type", "duration", "until_local_time", "next");
    private static final Set<String> WAIT_FIELDS = Set.of("type", "event", "condition", "max_wait", "next", "timeout_next");
    private static final Set<String> BRANCH_FIELDS = Set.of("type", "condition", "then", "else");
    private static final Set<String> SPLIT_FIELDS = Set.of("type", "branches");
    private static final Set<String> SPLIT_BRANCH_FIELDS = Set.of("percent", "next");
    private static final Set<String> TRAITS_FIELDS = Set.of("type", "set", "next");
    private static final Set<String> EXIT_FIELDS = Set.of("type");
    private static final Set<String> CRITERION_FIELDS = Set.of("event", "condition");
    private static final Set<String> GOAL_FIELDS = Set.of("event", "window");
    private static final Set<String> RE_ENTRY_FIELDS = Set.of("policy", "cooldown");
    private static final Set<String> QUIET_FIELDS = Set.of("start", "end", "action");

    private final DocumentReader r = new DocumentReader();

    private JourneyJson() {
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * A definition of {@code project} from an API body or a stored document ({@code version}, {@code updated_at} and
     * a matching {@code project_id} are accepted and ignored, so a GET answer can be sent back). {@code id} (from the
     * path or the config key) overrides/fills the body's id.
     *
     * @throws InvalidDocumentException listing every problem found
     */
    public static JourneyDefinition parse(String project, String id, ObjectNode body, JourneyContext ctx) {
        return new JourneyJson().definition(project, id, body, ctx);
    }

    /**
     * A stored entry read back (project and id from the key, version from the entry).
     *
     * @throws InvalidDocumentException when the document is not a valid journey
     */
    public static JourneyDefinition fromEntry(ConfigEntry entry, JourneyContext ctx) {
        JsonNode doc = entry.document();
        if (!doc.isObject()) {
            throw InvalidDocumentException.of("body", "must be a JSON object");
        }
        JourneyDefinition def = parse(entry.key().project(), entry.key().id(), (ObjectNode) doc, ctx);
        long updatedAt = 0;
        JsonNode u = doc.get("updated_at");
        if (u != null && u.isTextual()) {
            try {
                updatedAt = Instant.parse(u.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw InvalidDocumentException.of("updated_at", "must be an ISO-8601 instant");
            }
        }
        return def.withVersion(entry.version(), updatedAt);
    }

    private JourneyDefinition definition(String project, String pathId, ObjectNode body, JourneyContext ctx) {
        if (body == null) {
            throw InvalidDocumentException.of("body", "must be a JSON object");
        }
        r.onlyFields(body, BODY_FIELDS, "");
        JsonNode pid = body.get("project_id");
        if (pid != null && !pid.isNull() && !(pid.isTextual() && pid.asText().equals(project))) {
            r.error("project_id", "must be the project of the secret key ('" + project + "')");
        }
        String bodyId = r.text(body, "id", "id", false);
        if (bodyId != null && pathId != null && !bodyId.equals(pathId)) {
            r.error("id", "must match the id in the path ('" + pathId + "')");
        }
        String id = pathId != null ? pathId : bodyId;
        JourneyDefinition.checkId(id).ifPresent(m -> r.error("id", m));
        String name = r.text(body, "name", "name", true);
        if (name != null) {
            NameRules.checkName(name).ifPresent(m -> r.error("name", m));
        }
        String description = r.text(body, "description", "description", false);
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            r.error("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        JourneyStatus status = r.choice(body, "status", "status", JourneyStatus::fromWire, JourneyStatus.DRAFT,
                "draft, live, paused, archived");
        Integer journeyVersion = r.integer(body, "journey_version", "journey_version", 1);
        Integer priority = r.integer(body, "priority", "priority", 0);
        Trigger trigger = trigger(body.get("trigger"));
        String entry = r.text(body, "entry", "entry", true);
        Map<String, Step> steps = new LinkedHashMap<>();
        Set<String> unparsed = new HashSet<>();
        boolean stepsRead = steps(body.get("steps"), steps, unparsed);
        List<Criterion> exitCriteria = exitCriteria(body.get("exit_criteria"));
        Goal goal = goal(body.get("goal"));
        ReEntry reEntry = reEntry(body.get("re_entry"));
        QuietHours quietHours = quietHours(body.get("quiet_hours"));
        PauseBehaviour pause = r.choice(body, "pause_behaviour", "pause_behaviour", PauseBehaviour::fromWire, PauseBehaviour.HOLD,
                "hold, continue");

        if (r.count() == 0) {
            JourneyDefinition def = new JourneyDefinition(project, id, name, description, status, journeyVersion, priority,
                    trigger, entry, steps, exitCriteria, goal, reEntry, quietHours, pause, 0, 0);
            List<FieldError> problems = JourneyValidator.validate(def, ctx);
            if (problems.isEmpty()) {
                return def;
            }
            throw new InvalidDocumentException(problems);
        }
        // Report what the validator can judge of the parts that were readable too.
        List<FieldError> more = new ArrayList<>();
        if (trigger != null) {
            JourneyValidator.checkTrigger(trigger, ctx, more);
        }
        JourneyValidator.checkSettings(journeyVersion, goal, reEntry, quietHours, more);
        if (stepsRead) {
            JourneyValidator.checkSteps(steps, entry, unparsed, ctx, more);
        }
        r.addAll(more);
        throw new InvalidDocumentException(r.errors());
    }

    private Trigger trigger(JsonNode node) {
        if (node == null || node.isNull()) {
            r.error("trigger", "is required (" + TRIGGER_TYPES + ")");
            return null;
        }
        if (!r.object(node, "trigger")) {
            return null;
        }
        String type = r.text(node, "type", "trigger.type", true);
        if (type == null) {
            return null;
        }
        int before = r.count();
        switch (type) {
            case "segment_entered", "segment_exited" -> {
                r.onlyFields(node, SEGMENT_TRIGGER_FIELDS, "trigger.");
                String segment = r.text(node, "segment_id", "trigger.segment_id", true);
                if (segment != null) {
                    SegmentDefinition.checkId(segment).ifPresent(m -> r.error("trigger.segment_id", m));
                }
                if (r.count() != before) {
                    return null;
                }
                return type.equals("segment_entered") ? new Trigger.SegmentEntered(segment) : new Trigger.SegmentExited(segment);
            }
            case "event" -> {
                r.onlyFields(node, EVENT_TRIGGER_FIELDS, "trigger.");
                EventMatch match = EventFilters.read(node, "trigger", r);
                return r.count() == before ? new Trigger.Event(match) : null;
            }
            case "score_crossed" -> {
                r.onlyFields(node, SCORE_TRIGGER_FIELDS, "trigger.");
                String score = r.text(node, "score", "trigger.score", true);
                Trigger.Crossing op = r.choice(node, "op", "trigger.op", Trigger.Crossing::fromWire, null, "above, below");
                JsonNode t = node.get("threshold");
                if (t == null || !t.isNumber() || !Double.isFinite(t.asDouble())) {
                    r.error("trigger.threshold", "must be a finite number");
                }
                return r.count() == before ? new Trigger.ScoreCrossed(score, op, t.asDouble()) : null;
            }
            default -> {
                r.error("trigger.type", "unknown trigger type '" + DocumentReader.printable(type) + "' (" + TRIGGER_TYPES + ")");
                return null;
            }
        }
    }

    /** Reads the steps into {@code steps} and the ids of unreadable ones into {@code unparsed}; false when there were none to read. */
    private boolean steps(JsonNode node, Map<String, Step> steps, Set<String> unparsed) {
        if (node == null || node.isNull()) {
            r.error("steps", "is required: an object of step id to step");
            return false;
        }
        if (!r.object(node, "steps")) {
            return false;
        }
        if (node.isEmpty() || node.size() > MAX_STEPS) {
            r.error("steps", "must hold 1 to " + MAX_STEPS + " steps, had " + node.size());
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String id = e.getKey();
            if (Step.checkId(id).isPresent()) {
                r.error("steps." + DocumentReader.printable(id), "step id '" + DocumentReader.printable(id) + "' "
                        + Step.checkId(id).get());
                unparsed.add(id);
                continue;
            }
            r.context("step '" + id + "': ");
            Step s = step(id, e.getValue(), "steps." + id);
            r.context("");
            if (s == null) {
                unparsed.add(id);
            } else {
                steps.put(id, s);
            }
        }
        return true;
    }

    private Step step(String id, JsonNode node, String path) {
        if (!r.object(node, path)) {
            return null;
        }
        String type = r.text(node, "type", path + ".type", true);
        if (type == null) {
            return null;
        }
        int before = r.count();
        Step step = switch (type) {
            case "send" -> send(id, node, path);
            case "delay" -> delay(id, node, path);
            case "wait_until" -> waitUntil(id, node, path);
            case "branch" -> branch(id, node, path);
            case "random_split" -> randomSplit(id, node, path);
            case "update_traits" -> updateTraits(id, node, path);
            case "exit" -> {
                r.onlyFields(node, EXIT_FIELDS, path + ".");
                yield new Step.Exit(id);
            }
            default -> {
                r.error(path + ".type", "unknown step type '" + DocumentReader.printable(type) + "' (" + STEP_TYPES + ")");
                yield null;
            }
        };
        return r.count() == before ? step : null;
    }

    /** A required step reference: an absent next is refused, so every path ends in an explicit exit step. */
    private String next(JsonNode node, String field, String path) {
        if (!DocumentReader.present(node, field)) {
            r.error(path + "." + field, "is required: every step but exit names the step that follows "
                    + "(end a path with a step of type exit)");
            return null;
        }
        return r.text(node, field, path + "." + field, true);
    }

    private Step send(String id, JsonNode node, String path) {
        r.onlyFields(node, SEND_FIELDS, path + ".");
        String destination = r.text(node, "destination_id", path + ".destination_id", true);
        if (destination != null) {
            DestinationDefinition.checkId(destination).ifPresent(m -> r.error(path + ".destination_id", m));
        }
        String channel = r.text(node, "channel", path + ".channel", true);
        if (channel != null) {
            FrequencyCaps.checkChannel(channel).ifPresent(m -> r.error(path + ".channel", m));
        }
        Map<String, Template> template = new LinkedHashMap<>();
        JsonNode t = node.get("template");
        if (t == null || t.isNull()) {
            r.error(path + ".template", "is required: an object of message field to text, e.g. {\"title\":…,\"body\":…}");
        } else if (r.object(t, path + ".template")) {
            if (t.isEmpty() || t.size() > MAX_TEMPLATE_FIELDS) {
                r.error(path + ".template", "must hold 1 to " + MAX_TEMPLATE_FIELDS + " fields, had " + t.size());
            }
            Iterator<Map.Entry<String, JsonNode>> it = t.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = path + ".template." + DocumentReader.printable(e.getKey());
                NameRules.checkName(e.getKey()).ifPresent(m -> r.error(at, "names a message field that " + m));
                if (!e.getValue().isTextual()) {
                    r.error(at, "must be a string");
                    continue;
                }
                String text = e.getValue().asText();
                if (text.length() > MAX_TEMPLATE_LENGTH) {
                    r.error(at, "must be at most " + MAX_TEMPLATE_LENGTH + " characters");
                    continue;
                }
                try {
                    template.put(e.getKey(), Template.parse(text, at, TEMPLATE_VARIABLES));
                } catch (InvalidDocumentException x) {
                    r.absorb(x);
                }
            }
        }
        String next = next(node, "next", path);
        if (destination == null || channel == null || next == null) {
            return null;
        }
        return new Step.Send(id, destination, channel, template, next);
    }

    private Step delay(String id, JsonNode node, String path) {
        r.onlyFields(node, DELAY_FIELDS, path + ".");
        boolean hasDuration = DocumentReader.present(node, "duration");
        boolean hasTime = DocumentReader.present(node, "until_local_time");
        Duration duration = null;
        LocalTime until = null;
        if (hasDuration == hasTime) {
            r.error(path, "a delay gives exactly one of duration (e.g. \"P1D\") and until_local_time (e.g. \"09:00\")");
        } else if (hasDuration) {
            duration = r.duration(node, "duration", path + ".duration", true);
        } else {
            until = r.localTime(node, "until_local_time", path + ".until_local_time", true);
        }
        String next = next(node, "next", path);
        if ((duration == null && until == null) || next == null) {
            return null;
        }
        return new Step.Delay(id, duration, until, next);
    }

    private Step waitUntil(String id, JsonNode node, String path) {
        r.onlyFields(node, WAIT_FIELDS, path + ".");
        Criterion until = criterion(node, path, "wait_until waits for exactly one of event (an event match) and condition (a rule)");
        Duration maxWait = r.duration(node, "max_wait", path + ".max_wait", true);
        String next = next(node, "next", path);
        String timeoutNext = next(node, "timeout_next", path);
        if (until == null || maxWait == null || next == null || timeoutNext == null) {
            return null;
        }
        return new Step.WaitUntil(id, until, maxWait, next, timeoutNext);
    }

    private Step branch(String id, JsonNode node, String path) {
        r.onlyFields(node, BRANCH_FIELDS, path + ".");
        Rule condition = null;
        if (!DocumentReader.present(node, "condition")) {
            r.error(path + ".condition", "is required (a rule such as {\"trait\":{…}})");
        } else {
            condition = rule(node.get("condition"), path + ".condition");
        }
        String then = next(node, "then", path);
        String otherwise = next(node, "else", path);
        if (condition == null || then == null || otherwise == null) {
            return null;
        }
        return new Step.Branch(id, condition, then, otherwise);
    }

    private Step randomSplit(String id, JsonNode node, String path) {
        r.onlyFields(node, SPLIT_FIELDS, path + ".");
        JsonNode b = node.get("branches");
        if (b == null || b.isNull()) {
            r.error(path + ".branches", "is required: an array of {\"percent\",\"next\"}");
            return null;
        }
        if (!b.isArray()) {
            r.error(path + ".branches", "must be an array of {\"percent\",\"next\"}");
            return null;
        }
        if (b.size() > MAX_SPLIT_BRANCHES) {
            r.error(path + ".branches", "must hold at most " + MAX_SPLIT_BRANCHES + " branches, had " + b.size());
            return null;
        }
        int before = r.count();
        List<Step.SplitBranch> branches = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            String at = path + ".branches[" + i + "]";
            JsonNode one = b.get(i);
            if (!r.object(one, at)) {
                continue;
            }
            r.onlyFields(one, SPLIT_BRANCH_FIELDS, at + ".");
            Integer percent = r.integer(one, "percent", at + ".percent", null);
            String next = next(one, "next", at);
            if (percent != null && next != null) {
                branches.add(new Step.SplitBranch(percent, next));
            }
        }
        return r.count() == before ? new Step.RandomSplit(id, branches) : null;
    }

    private Step updateTraits(String id, JsonNode node, String path) {
        r.onlyFields(node, TRAITS_FIELDS, path + ".");
        Map<String, JsonNode> set = new LinkedHashMap<>();
        JsonNode s = node.get("set");
        if (s == null || s.isNull()) {
            r.error(path + ".set", "is required: an object of trait to value");
        } else if (r.object(s, path + ".set")) {
            if (s.isEmpty() || s.size() > MAX_TRAITS) {
                r.error(path + ".set", "must set 1 to " + MAX_TRAITS + " traits, had " + s.size());
            }
            Iterator<Map.Entry<String, JsonNode>> it = s.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = path + ".set." + DocumentReader.printable(e.getKey());
                NameRules.checkName(e.getKey()).ifPresent(m -> r.error(at, "names a trait that " + m));
                JsonNode v = e.getValue();
                if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                    set.put(e.getKey(), v);
                } else {
                    r.error(at, "must be a string, number or boolean");
                }
            }
        }
        String next = next(node, "next", path);
        return next == null ? null : new Step.UpdateTraits(id, set, next);
    }

    /** The {@code event} or {@code condition} of {@code node} (exactly one of them), or {@code null}. */
    private Criterion criterion(JsonNode node, String path, String exactlyOne) {
        boolean hasEvent = DocumentReader.present(node, "event");
        boolean hasCondition = DocumentReader.present(node, "condition");
        if (hasEvent == hasCondition) {
            r.error(path, exactlyOne);
            return null;
        }
        if (hasEvent) {
            JsonNode e = node.get("event");
            if (!r.object(e, path + ".event")) {
                return null;
            }
            r.onlyFields(e, EventFilters.FIELDS, path + ".event.");
            EventMatch match = EventFilters.read(e, path + ".event", r);
            return match == null ? null : new Criterion.EventOccurs(match);
        }
        Rule rule = rule(node.get("condition"), path + ".condition");
        return rule == null ? null : new Criterion.RuleHolds(rule);
    }

    private Rule rule(JsonNode node, String path) {
        try {
            return RuleJson.parseRealtime(node, path);
        } catch (InvalidDocumentException e) {
            r.absorb(e);
            return null;
        }
    }

    private List<Criterion> exitCriteria(JsonNode node) {
        List<Criterion> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            r.error("exit_criteria", "must be an array of {\"event\":…} or {\"condition\":…}");
            return null;
        }
        if (node.size() > MAX_EXIT_CRITERIA) {
            r.error("exit_criteria", "must hold at most " + MAX_EXIT_CRITERIA + " criteria, had " + node.size());
            return null;
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "exit_criteria[" + i + "]";
            JsonNode c = node.get(i);
            if (!r.object(c, at)) {
                continue;
            }
            r.onlyFields(c, CRITERION_FIELDS, at + ".");
            Criterion criterion = criterion(c, at, "an exit criterion is exactly one of event (an event match) and condition (a rule)");
            if (criterion != null) {
                out.add(criterion);
            }
        }
        return out;
    }

    private Goal goal(JsonNode node) {
        if (node == null || node.isNull() || !r.object(node, "goal")) {
            return null;
        }
        int before = r.count();
        r.onlyFields(node, GOAL_FIELDS, "goal.");
        EventMatch event = null;
        JsonNode e = node.get("event");
        if (e == null || e.isNull()) {
            r.error("goal.event", "is required: the event that counts as converted");
        } else if (r.object(e, "goal.event")) {
            r.onlyFields(e, EventFilters.FIELDS, "goal.event.");
            event = EventFilters.read(e, "goal.event", r);
        }
        Duration window = r.duration(node, "window", "goal.window", true);
        return r.count() == before ? new Goal(event, window) : null;
    }

    private ReEntry reEntry(JsonNode node) {
        if (node == null || node.isNull()) {
            return ReEntry.ONCE;
        }
        if (!r.object(node, "re_entry")) {
            return null;
        }
        r.onlyFields(node, RE_ENTRY_FIELDS, "re_entry.");
        ReEntry.Policy policy = r.choice(node, "policy", "re_entry.policy", ReEntry.Policy::fromWire, null, "once, after, always");
        if (policy == null) {
            return null;
        }
        boolean hasCooldown = DocumentReader.present(node, "cooldown");
        if (policy != ReEntry.Policy.AFTER) {
            if (hasCooldown) {
                r.error("re_entry.cooldown", "is only for policy after");
                return null;
            }
            return policy == ReEntry.Policy.ONCE ? ReEntry.ONCE : ReEntry.ALWAYS;
        }
        if (!hasCooldown) {
            r.error("re_entry.cooldown", "is required for policy after (an ISO-8601 duration such as \"P30D\")");
            return null;
        }
        Duration cooldown = r.duration(node, "cooldown", "re_entry.cooldown", true);
        return cooldown == null ? null : ReEntry.after(cooldown);
    }

    private QuietHours quietHours(JsonNode node) {
        if (node == null || node.isNull() || !r.object(node, "quiet_hours")) {
            return null;
        }
        r.onlyFields(node, QUIET_FIELDS, "quiet_hours.");
        LocalTime start = r.localTime(node, "start", "quiet_hours.start", true);
        LocalTime end = r.localTime(node, "end", "quiet_hours.end", true);
        QuietHours.Action action = r.choice(node, "action", "quiet_hours.action", QuietHours.Action::fromWire,
                QuietHours.Action.DELAY, "delay, skip");
        if (start == null || end == null || action == null) {
            return null;
        }
        return new QuietHours(start, end, action);
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The stored document (every field, defaults written out, and {@code updated_at}; the store adds {@code version}). */
    public static ObjectNode toDocument(JourneyDefinition def) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", def.id());
        o.put("name", def.name());
        if (def.description() != null) {
            o.put("description", def.description());
        }
        o.put("status", def.status().wireName());
        o.put("journey_version", def.journeyVersion());
        o.put("priority", def.priority());
        o.set("trigger", toJson(def.trigger()));
        o.put("entry", def.entry());
        ObjectNode steps = o.putObject("steps");
        def.steps().forEach((id, s) -> steps.set(id, toJson(s)));
        ArrayNode exits = o.putArray("exit_criteria");
        for (Criterion c : def.exitCriteria()) {
            exits.add(criterion(JsonNodeFactory.instance.objectNode(), c));
        }
        if (def.goal() != null) {
            ObjectNode g = o.putObject("goal");
            g.set("event", EventFilters.write(JsonNodeFactory.instance.objectNode(), def.goal().event()));
            g.put("window", RuleJson.durationText(def.goal().window()));
        }
        ObjectNode re = o.putObject("re_entry");
        re.put("policy", def.reEntry().policy().wireName());
        if (def.reEntry().cooldown() != null) {
            re.put("cooldown", RuleJson.durationText(def.reEntry().cooldown()));
        }
        if (def.quietHours() != null) {
            ObjectNode q = o.putObject("quiet_hours");
            q.put("start", DocumentReader.localTimeText(def.quietHours().start()));
            q.put("end", DocumentReader.localTimeText(def.quietHours().end()));
            q.put("action", def.quietHours().action().wireName());
        }
        o.put("pause_behaviour", def.pauseBehaviour().wireName());
        o.put("updated_at", Instant.ofEpochMilli(def.updatedAtMs()).toString());
        return o;
    }

    /** The API answer: the document plus {@code project_id} and {@code version}. */
    public static ObjectNode toApiJson(JourneyDefinition def) {
        ObjectNode o = toDocument(def);
        o.put("project_id", def.projectId());
        o.put("version", def.version());
        return o;
    }

    private static ObjectNode toJson(Trigger trigger) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", trigger.type());
        if (trigger instanceof Trigger.SegmentEntered e) {
            o.put("segment_id", e.segmentId());
        } else if (trigger instanceof Trigger.SegmentExited x) {
            o.put("segment_id", x.segmentId());
        } else if (trigger instanceof Trigger.Event ev) {
            EventFilters.write(o, ev.match());
        } else if (trigger instanceof Trigger.ScoreCrossed s) {
            o.put("score", s.score());
            o.put("op", s.op().wireName());
            o.put("threshold", s.threshold());
        }
        return o;
    }

    private static ObjectNode toJson(Step step) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", step.type());
        if (step instanceof Step.Send s) {
            o.put("destination_id", s.destinationId());
            o.put("channel", s.channel());
            ObjectNode t = o.putObject("template");
            s.template().forEach((k, v) -> t.put(k, v.source()));
            o.put("next", s.next());
        } else if (step instanceof Step.Delay d) {
            if (d.duration() != null) {
                o.put("duration", RuleJson.durationText(d.duration()));
            } else {
                o.put("until_local_time", DocumentReader.localTimeText(d.untilLocalTime()));
            }
            o.put("next", d.next());
        } else if (step instanceof Step.WaitUntil w) {
            criterion(o, w.until());
            o.put("max_wait", RuleJson.durationText(w.maxWait()));
            o.put("next", w.next());
            o.put("timeout_next", w.timeoutNext());
        } else if (step instanceof Step.Branch b) {
            o.set("condition", RuleJson.toJson(b.condition()));
            o.put("then", b.then());
            o.put("else", b.otherwise());
        } else if (step instanceof Step.RandomSplit split) {
            ArrayNode branches = o.putArray("branches");
            for (Step.SplitBranch b : split.branches()) {
                branches.addObject().put("percent", b.percent()).put("next", b.next());
            }
        } else if (step instanceof Step.UpdateTraits u) {
            ObjectNode set = o.putObject("set");
            u.set().forEach((k, v) -> set.set(k, v.deepCopy()));
            o.put("next", u.next());
        }
        return o;
    }

    private static ObjectNode criterion(ObjectNode into, Criterion c) {
        if (c instanceof Criterion.EventOccurs e) {
            into.set("event", EventFilters.write(JsonNodeFactory.instance.objectNode(), e.match()));
        } else if (c instanceof Criterion.RuleHolds h) {
            into.set("condition", RuleJson.toJson(h.rule()));
        }
        return into;
    }
}
