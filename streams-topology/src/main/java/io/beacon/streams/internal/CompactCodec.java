package io.beacon.streams.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.control.discovery.DiscoveryKind;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.SessionState;
import io.beacon.streams.time.TimestampRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact binary format for the topology's <em>internal</em> records — the identity repartition
 * topic ({@link IdentityInput}), the discovery pending store ({@link DiscoveredItem}) and the identity and
 * device stores ({@link IdentityLink}, {@link DeviceState}) — which are written and read once per event, where JSON's cost showed in the profile. Public topics (valid,
 * sessions, persons, dlq, discovery) stay {@link EventCodec}/{@link DiscoveryCodec} JSON.
 *
 * <p><b>Same values as JSON.</b> {@code decodeX(encodeX(v))} equals what a JSON round trip
 * ({@code EventCodec.decode(EventCodec.encode(v))}) gives, so downstream stages see exactly what they
 * saw before: property values keep JSON's normalisation (a {@code null} map value is left out, an integral number that fits an int comes
 * back as {@link Integer}, otherwise {@link Long}; a finite {@link Double} as itself; lists as
 * {@link ArrayList}, objects as {@link LinkedHashMap} in order). A value of any other type (float,
 * BigDecimal, BigInteger, non-finite double, a set, a map with non-string keys, …) is embedded as its
 * JSON text and read back with the same mapper, i.e. it takes the JSON path itself.
 *
 * <p><b>Upgrades.</b> Every record starts with {@link #MAGIC}, a byte that cannot start a JSON
 * document; a value without it is decoded as the JSON written before this format existed. So records
 * left in the repartition topic and the pending store's changelog by an older version are still read
 * after an upgrade, and so are the RocksDB stores' values on disk and in their changelogs (a store's
 * old values are rewritten in the new format as their keys are next written). A downgrade could not
 * read the new records.
 */
public final class CompactCodec {
    /** First byte of every compact record (never the first byte of a JSON document). */
    static final int MAGIC = 0xBE;
    private static final int VERSION = 1;

    private static final int INPUT_EVENT = 'E';
    private static final int INPUT_CLAIM = 'C';

    private static final int V_NULL = 0;
    private static final int V_STRING = 1;
    private static final int V_TRUE = 2;
    private static final int V_FALSE = 3;
    private static final int V_INT = 4;
    private static final int V_LONG = 5;
    private static final int V_DOUBLE = 6;
    private static final int V_LIST = 7;
    private static final int V_MAP = 8;
    private static final int V_JSON = 9;

    private static final EventType[] TYPES = EventType.values();

    private CompactCodec() {
    }

    /** Whether {@code bytes} are in this format (rather than the older JSON). */
    static boolean isCompact(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] & 0xFF) == MAGIC;
    }

    // ---- IdentityInput -------------------------------------------------------------------------

    public static byte[] encodeIdentityInput(IdentityInput input) {
        CompactWriter w = new CompactWriter(input.event() != null ? 768 : 96);
        header(w);
        if (input.event() != null) {
            w.writeByte(INPUT_EVENT);
            writeEvent(w, input.event());
        } else {
            IdentityInput.Claim c = input.claim();
            w.writeByte(INPUT_CLAIM);
            w.writeString(c.projectId());
            w.writeString(c.userId());
            w.writeString(c.eventId());
            w.writeZigZag(c.receivedAt());
        }
        return w.toByteArray();
    }

    /** Decodes the compact format, or the JSON of earlier versions. */
    public static IdentityInput decodeIdentityInput(byte[] bytes) {
        if (!isCompact(bytes)) {
            return EventCodec.decode(bytes, IdentityInput.class);
        }
        CompactReader r = reader(bytes);
        int kind = r.readByte();
        IdentityInput out;
        if (kind == INPUT_EVENT) {
            out = IdentityInput.of(readEvent(r));
        } else if (kind == INPUT_CLAIM) {
            out = IdentityInput.of(new IdentityInput.Claim(r.readString(), r.readString(), r.readString(), r.readZigZag()));
        } else {
            throw new IllegalArgumentException("unknown identity input kind " + kind);
        }
        end(r);
        return out;
    }

    // ---- Event ---------------------------------------------------------------------------------

    public static byte[] encodeEvent(Event event) {
        CompactWriter w = new CompactWriter(768);
        header(w);
        writeEvent(w, event);
        return w.toByteArray();
    }

    public static Event decodeEvent(byte[] bytes) {
        if (!isCompact(bytes)) {
            return EventCodec.decodeEvent(bytes);
        }
        CompactReader r = reader(bytes);
        Event e = readEvent(r);
        end(r);
        return e;
    }

    private static void writeEvent(CompactWriter w, Event e) {
        w.writeString(e.eventId());
        w.writeString(e.projectId());
        w.writeByte(e.type().ordinal());
        w.writeString(e.eventName());
        w.writeString(e.userId());
        w.writeString(e.anonymousId());
        w.writeString(e.sessionId());
        w.writeZigZag(e.eventTime());
        w.writeZigZag(e.receivedAt());
        w.writeNullableLong(e.clientTime());
        w.writeNullableLong(e.sentAt());
        w.writeString(e.platform());
        w.writeString(e.country());
        w.writeString(e.region());
        w.writeString(e.city());
        w.writeString(e.deviceModel());
        w.writeString(e.osName());
        w.writeString(e.osVersion());
        w.writeString(e.appVersion());
        w.writeString(e.pageUrl());
        w.writeString(e.pageTitle());
        w.writeString(e.pagePath());
        w.writeString(e.referrer());
        w.writeString(e.ip());
        w.writeString(e.userAgent());
        w.writeString(e.libraryName());
        w.writeString(e.libraryVersion());
        w.writeString(e.groupId());
        w.writeString(e.previousId());
        writeMap(w, e.properties());
        writeMap(w, e.traits());
        w.writeVarLong(e.warnings().size());
        for (String warning : e.warnings()) {
            w.writeString(warning);
        }
        w.writeString(e.personId());
    }

    private static Event readEvent(CompactReader r) {
        String eventId = r.readString();
        String projectId = r.readString();
        int type = r.readByte();
        if (type >= TYPES.length) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        String eventName = r.readString();
        String userId = r.readString();
        String anonymousId = r.readString();
        String sessionId = r.readString();
        long eventTime = r.readZigZag();
        long receivedAt = r.readZigZag();
        Long clientTime = r.readNullableLong();
        Long sentAt = r.readNullableLong();
        String platform = r.readString();
        String country = r.readString();
        String region = r.readString();
        String city = r.readString();
        String deviceModel = r.readString();
        String osName = r.readString();
        String osVersion = r.readString();
        String appVersion = r.readString();
        String pageUrl = r.readString();
        String pageTitle = r.readString();
        String pagePath = r.readString();
        String referrer = r.readString();
        String ip = r.readString();
        String userAgent = r.readString();
        String libraryName = r.readString();
        String libraryVersion = r.readString();
        String groupId = r.readString();
        String previousId = r.readString();
        Map<String, Object> properties = readMap(r);
        Map<String, Object> traits = readMap(r);
        int nWarnings = r.readLength();
        List<String> warnings = new ArrayList<>(Math.min(nWarnings, 64));
        for (int i = 0; i < nWarnings; i++) {
            warnings.add(r.readString());
        }
        String personId = r.readString();
        return new Event(eventId, projectId, TYPES[type], eventName, userId, anonymousId, sessionId, eventTime,
                receivedAt, clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion,
                appVersion, pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion,
                groupId, previousId, properties, traits, warnings, personId);
    }

    // ---- JSON-like values ----------------------------------------------------------------------

    private static void writeMap(CompactWriter w, Map<String, ?> map) {
        // the JSON mapper leaves out null map values (NON_NULL inclusion), at every depth
        w.writeVarLong(nonNullValues(map));
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (e.getValue() != null) {
                w.writeString(e.getKey());
                writeValue(w, e.getValue());
            }
        }
    }

    private static int nonNullValues(Map<String, ?> map) {
        int n = 0;
        for (Object v : map.values()) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, Object> readMap(CompactReader r) {
        int n = r.readLength();
        Map<String, Object> map = new LinkedHashMap<>(n < 12 ? 16 : n * 2);
        for (int i = 0; i < n; i++) {
            map.put(r.readString(), readValue(r));
        }
        return map;
    }

    private static void writeValue(CompactWriter w, Object v) {
        if (v == null) {
            w.writeByte(V_NULL);
        } else if (v instanceof String s) {
            w.writeByte(V_STRING);
            w.writeString(s);
        } else if (v instanceof Boolean b) {
            w.writeByte(b ? V_TRUE : V_FALSE);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            w.writeByte(V_INT);
            w.writeZigZag(((Number) v).longValue());
        } else if (v instanceof Long l) {
            // JSON reads an integral number that fits an int back as Integer
            w.writeByte(l == l.intValue() ? V_INT : V_LONG);
            w.writeZigZag(l);
        } else if (v instanceof Double d && Double.isFinite(d)) {
            w.writeByte(V_DOUBLE);
            w.writeDouble(d);
        } else if (v instanceof List<?> list) {
            w.writeByte(V_LIST);
            w.writeVarLong(list.size());
            for (Object item : list) {
                writeValue(w, item);
            }
        } else if (v instanceof Map<?, ?> map && stringKeys(map)) {
            w.writeByte(V_MAP);
            @SuppressWarnings("unchecked")
            Map<String, ?> byName = (Map<String, ?>) map;
            writeMap(w, byName);
        } else {
            // anything else takes the JSON path, so it reads back exactly as a JSON round trip would
            byte[] json = EventCodec.encode(v);
            w.writeByte(V_JSON);
            w.writeVarLong(json.length);
            w.writeBytes(json);
        }
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private static Object readValue(CompactReader r) {
        int tag = r.readByte();
        switch (tag) {
            case V_NULL:
                return null;
            case V_STRING:
                return r.readString();
            case V_TRUE:
                return Boolean.TRUE;
            case V_FALSE:
                return Boolean.FALSE;
            case V_INT:
                return (int) r.readZigZag();
            case V_LONG:
                return r.readZigZag();
            case V_DOUBLE:
                return r.readDouble();
            case V_LIST: {
                int n = r.readLength();
                List<Object> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    list.add(readValue(r));
                }
                return list;
            }
            case V_MAP:
                return readMap(r);
            case V_JSON: {
                byte[] json = r.readBytes(r.readLength());
                try {
                    return EventCodec.mapper().readValue(json, Object.class);
                } catch (IOException e) {
                    throw new UncheckedIOException("bad embedded JSON value", e);
                }
            }
            default:
                throw new IllegalArgumentException("unknown value tag " + tag);
        }
    }

    // ---- DiscoveredItem ------------------------------------------------------------------------

    public static byte[] encodeDiscoveredItem(DiscoveredItem item) {
        CompactWriter w = new CompactWriter(64 + item.name().length() + item.project().length());
        header(w);
        w.writeString(item.project());
        w.writeString(item.kind().wireName());
        w.writeString(item.name());
        w.writeZigZag(item.volume());
        w.writeZigZag(item.firstSeen());
        w.writeZigZag(item.lastSeen());
        w.writeVarLong(item.typeCounts().size());
        for (Map.Entry<String, Long> e : item.typeCounts().entrySet()) {
            w.writeString(e.getKey());
            w.writeZigZag(e.getValue());
        }
        return w.toByteArray();
    }

    /** Decodes the compact format, or {@link DiscoveryCodec} JSON (what earlier versions stored). */
    public static DiscoveredItem decodeDiscoveredItem(byte[] bytes) {
        if (!isCompact(bytes)) {
            return DiscoveryCodec.decode(bytes);
        }
        CompactReader r = reader(bytes);
        String project = r.readString();
        String kindName = r.readString();
        DiscoveryKind kind = DiscoveryKind.fromWire(kindName)
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + kindName));
        String name = r.readString();
        long volume = r.readZigZag();
        long firstSeen = r.readZigZag();
        long lastSeen = r.readZigZag();
        int n = r.readLength();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.put(r.readString(), r.readZigZag());
        }
        end(r);
        return new DiscoveredItem(project, kind, name, volume, firstSeen, lastSeen, counts);
    }

    // ---- identity and device stores ----------------------------------------------------------

    public static byte[] encodeIdentityLink(IdentityLink link) {
        CompactWriter w = new CompactWriter(32 + link.personId().length() + (link.eventId() == null ? 0 : link.eventId().length()));
        header(w);
        w.writeString(link.personId());
        w.writeByte(link.identified() ? 1 : 0);
        w.writeZigZag(link.linkedAt());
        w.writeString(link.eventId());
        return w.toByteArray();
    }

    /** Decodes the compact format, or the JSON earlier versions stored. */
    public static IdentityLink decodeIdentityLink(byte[] bytes) {
        if (!isCompact(bytes)) {
            return EventCodec.decode(bytes, IdentityLink.class);
        }
        CompactReader r = reader(bytes);
        IdentityLink link = new IdentityLink(r.readString(), r.readByte() != 0, r.readZigZag(), r.readString());
        end(r);
        return link;
    }

    public static byte[] encodeDeviceState(DeviceState state) {
        CompactWriter w = new CompactWriter(64 + 160 * state.sessions().size());
        header(w);
        w.writeZigZag(state.watermark());
        if (state.clock() == null) {
            w.writeByte(0);
        } else {
            w.writeByte(1);
            w.writeZigZag(state.clock().clientTime());
            w.writeZigZag(state.clock().eventTime());
        }
        w.writeZigZag(state.version());
        w.writeZigZag(state.lastReceivedAt());
        w.writeVarLong(state.sessions().size());
        for (SessionState s : state.sessions()) {
            w.writeString(s.id());
            w.writeByte(s.clientDefined() ? 1 : 0);
            w.writeZigZag(s.start());
            w.writeZigZag(s.end());
            w.writeZigZag(s.eventCount());
            w.writeZigZag(s.pageviewCount());
            w.writeZigZag(s.entryTime());
            w.writeString(s.entryUrl());
            w.writeZigZag(s.exitTime());
            w.writeString(s.exitUrl());
            w.writeString(s.referrer());
            writeMap(w, s.utm());
            w.writeString(s.platform());
            w.writeString(s.personId());
            w.writeVarLong(s.merged().size());
            for (String id : s.merged()) {
                w.writeString(id);
            }
        }
        return w.toByteArray();
    }

    /** Decodes the compact format, or the JSON earlier versions stored. */
    public static DeviceState decodeDeviceState(byte[] bytes) {
        if (!isCompact(bytes)) {
            return EventCodec.decode(bytes, DeviceState.class);
        }
        CompactReader r = reader(bytes);
        long watermark = r.readZigZag();
        TimestampRule.DeviceClock clock = r.readByte() == 0 ? null : new TimestampRule.DeviceClock(r.readZigZag(), r.readZigZag());
        long version = r.readZigZag();
        long lastReceivedAt = r.readZigZag();
        int n = r.readLength();
        List<SessionState> sessions = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            String id = r.readString();
            boolean clientDefined = r.readByte() != 0;
            long start = r.readZigZag();
            long end = r.readZigZag();
            long eventCount = r.readZigZag();
            long pageviewCount = r.readZigZag();
            long entryTime = r.readZigZag();
            String entryUrl = r.readString();
            long exitTime = r.readZigZag();
            String exitUrl = r.readString();
            String referrer = r.readString();
            Map<String, String> utm = new LinkedHashMap<>();
            int nUtm = r.readLength();
            for (int k = 0; k < nUtm; k++) {
                String key = r.readString();
                if (r.readByte() != V_STRING) {
                    throw new IllegalArgumentException("utm value is not a string");
                }
                utm.put(key, r.readString());
            }
            String platform = r.readString();
            String personId = r.readString();
            int nMerged = r.readLength();
            List<String> merged = new ArrayList<>(Math.min(nMerged, 64));
            for (int k = 0; k < nMerged; k++) {
                merged.add(r.readString());
            }
            sessions.add(new SessionState(id, clientDefined, start, end, eventCount, pageviewCount, entryTime, entryUrl,
                    exitTime, exitUrl, referrer, utm, platform, personId, merged));
        }
        end(r);
        return new DeviceState(watermark, clock, version, lastReceivedAt, sessions);
    }

    // ---- framing -------------------------------------------------------------------------------

    private static void header(CompactWriter w) {
        w.writeByte(MAGIC);
        w.writeByte(VERSION);
    }

    private static CompactReader reader(byte[] bytes) {
        CompactReader r = new CompactReader(bytes, 1);
        int version = r.readByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported compact record version " + version);
        }
        return r;
    }

    private static void end(CompactReader r) {
        if (!r.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after a compact record");
        }
    }
}
