package io.beacon.platform;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The parts of Beacon one process can run; {@code all} runs every one (a laptop, the dev stack). */
public enum Role {
    /** Collection HTTP routes → {@code beacon.events.raw}. */
    GATEWAY,
    /** The Kafka Streams topology: raw → valid / dlq. */
    STREAMS,
    /** The ClickHouse sink: valid → {@code events}. */
    SINK,
    /** The actor engine: per-user state, realtime segments, the profile and segment APIs (a Pekko cluster node). */
    ENGINE,
    /** The CDP connectors: triggers → {@code beacon.cdp.outbox} → signed webhooks, push and CRM, retries, DLQ, delivery log. */
    CONNECTORS;

    /**
     * Parses a comma-separated role list such as {@code "gateway,sink"} or {@code "all"}.
     *
     * @throws IllegalArgumentException naming the unknown role
     */
    public static Set<Role> parse(String list) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : list.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                roles.addAll(EnumSet.allOf(Role.class));
                continue;
            }
            try {
                roles.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown role '" + name + "'; expected gateway, streams, sink, engine, connectors or all");
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("no role given; expected gateway, streams, sink, engine, connectors or all");
        }
        return roles;
    }
}
