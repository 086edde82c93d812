package io.beacon.streams.sessions.internal;

import io.beacon.event.Event;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;
import io.beacon.streams.identity.Identity;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.identity.IdentityRules;
import io.beacon.streams.internal.IdentityInput;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.SessionSettings;
import io.beacon.streams.sessions.Sessionizer;
import io.beacon.streams.sessions.Sessions;
import io.beacon.streams.time.TimestampRule;
import io.beacon.streams.time.TimestampSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify-and-sessionize stage, keyed by {@code project:identity key} (see
 * {@link IdentityRules#identityKey}): resolves the event's person against the identity store (and
 * records links and claims), applies the {@link TimestampRule} with the device's clock, assigns the
 * session with {@link Sessionizer}, and emits the event, the session summary (plus tombstones of merged
 * sessions), new links and person properties. Only moves data: the decisions are the pure functions'.
 *
 * <p>A wall-clock punctuation forgets device state whose last event arrived more than the state
 * retention ago (links in the identity store are never forgotten).
 */
public final class ResolveProcessor implements Processor<String, IdentityInput, String, StageOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(ResolveProcessor.class);
    private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(10);

    private final Function<String, SessionSettings> sessionSettings;
    private final Duration stateRetention;
    private final TimestampSettings timestamps;
    private ProcessorContext<String, StageOutput> context;
    private KeyValueStore<String, IdentityLink> identity;
    private KeyValueStore<String, DeviceState> devices;
    private Sensor links;
    private Sensor refusedIllegal;
    private Sensor refusedIdentified;
    private Sensor merges;

    /**
     * @param sessionSettings session boundaries per project id
     * @param stateRetention  how long a device's state outlives its last event
     * @param timestamps      the timestamp rule's settings
     */
    public ResolveProcessor(Function<String, SessionSettings> sessionSettings, Duration stateRetention,
                            TimestampSettings timestamps) {
        this.sessionSettings = sessionSettings;
        this.stateRetention = stateRetention;
        this.timestamps = timestamps;
    }

    @Override
    public void init(ProcessorContext<String, StageOutput> context) {
        this.context = context;
        this.identity = context.getStateStore(Identity.STORE_NAME);
        this.devices = context.getStateStore(Sessions.DEVICE_STORE);
        String task = context.taskId().toString();
        links = context.metrics().addRateTotalSensor(Identity.METRIC_SCOPE, task, Identity.LINKS_METRIC, Sensor.RecordingLevel.INFO);
        refusedIllegal = context.metrics().addRateTotalSensor(Identity.METRIC_SCOPE, task, Identity.REFUSED_ILLEGAL_METRIC,
                Sensor.RecordingLevel.INFO);
        refusedIdentified = context.metrics().addRateTotalSensor(Identity.METRIC_SCOPE, task, Identity.REFUSED_IDENTIFIED_METRIC,
                Sensor.RecordingLevel.INFO);
        merges = context.metrics().addRateTotalSensor(Identity.METRIC_SCOPE, task, Sessions.MERGES_METRIC, Sensor.RecordingLevel.INFO);
        context.schedule(CLEANUP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetIdleDevices);
    }

    @Override
    public void process(Record<String, IdentityInput> record) {
        IdentityInput in = record.value();
        if (in == null) {
            return;
        }
        if (in.claim() != null) {
            claim(record, in.claim());
        } else if (in.event() != null) {
            resolve(record, in.event());
        }
    }

    private void claim(Record<String, IdentityInput> record, IdentityInput.Claim claim) {
        String key = claim.projectId() + ":" + claim.userId();
        IdentityLink existing = identity.get(key);
        if (existing == null) {
            identity.put(key, new IdentityLink(claim.userId(), true, claim.receivedAt(), claim.eventId()));
            PersonDistinctId self = new PersonDistinctId(claim.projectId(), claim.userId(), claim.userId(),
                    claim.receivedAt(), claim.eventId());
            context.forward(record.withKey(self.key()).withValue(new StageOutput.Link(self)));
        } else if (!existing.personId().equals(claim.userId())) {
            // The user id was linked as an anonymous id of another person before it identified itself.
            refusedIdentified.record();
            LOG.warn("project {}: event {} identifies a user id that is already linked to another person; link kept",
                    claim.projectId(), claim.eventId());
        }
    }

    private void resolve(Record<String, IdentityInput> record, Event event) {
        String project = event.projectId();
        IdentityRules.Resolution resolution = IdentityRules.resolve(event, id -> identity.get(project + ":" + id));
        Event resolved = event.withPersonId(resolution.personId());
        switch (resolution.outcome()) {
            case LINKED -> {
                PersonDistinctId link = resolution.link().orElseThrow();
                identity.put(link.key(), new IdentityLink(link.personId(), false, link.version(), link.eventId()));
                links.record();
                context.forward(record.withKey(link.key()).withValue(new StageOutput.Link(link)));
            }
            case REFUSED_ILLEGAL_ID -> {
                refusedIllegal.record();
                resolved = warn(resolved, Identity.MERGE_REFUSED_WARNING);
            }
            case REFUSED_ALREADY_IDENTIFIED -> {
                refusedIdentified.record();
                LOG.warn("project {}: event {} would merge two identified persons; refused, the existing link stays",
                        project, event.eventId());
                resolved = warn(resolved, Identity.MERGE_REFUSED_WARNING);
            }
            case NONE -> {
                // nothing to record
            }
        }

        String deviceKey = record.key();
        DeviceState state = devices.get(deviceKey);
        if (state == null) {
            state = DeviceState.empty();
        }
        TimestampRule.Result timed = TimestampRule.apply(resolved, state.clock(), timestamps);
        Sessionizer.Assignment assignment = Sessionizer.assign(state.withClock(timed.clock()), timed.event(),
                deviceKey.substring(project.length() + 1), sessionSettings.apply(project));
        devices.put(deviceKey, assignment.state());

        Event out = assignment.event();
        context.forward(record.withKey(out.personKey()).withValue(new StageOutput.Resolved(out)));
        SessionSummary summary = assignment.summary();
        context.forward(record.withKey(SessionSummary.key(project, summary.sessionId())).withValue(new StageOutput.Summary(summary)));
        for (String merged : assignment.tombstones()) {
            merges.record();
            context.forward(record.withKey(SessionSummary.key(project, merged)).withValue(new StageOutput.Tombstone()));
        }
        for (PersonProperty property : PersonProperties.of(out)) {
            context.forward(record.withKey(property.topicKey()).withValue(new StageOutput.Property(property)));
        }
    }

    private static Event warn(Event event, String warning) {
        List<String> all = new ArrayList<>(event.warnings());
        all.add(warning);
        return event.withWarnings(all);
    }

    private void forgetIdleDevices(long now) {
        long before = now - stateRetention.toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, DeviceState> all = devices.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeviceState> entry = all.next();
                if (entry.value != null && entry.value.lastReceivedAt() < before) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(devices::delete);
    }

    @Override
    public void close() {
        if (context != null) {
            for (Sensor s : new Sensor[] {links, refusedIllegal, refusedIdentified, merges}) {
                if (s != null) {
                    context.metrics().removeSensor(s);
                }
            }
        }
    }
}
