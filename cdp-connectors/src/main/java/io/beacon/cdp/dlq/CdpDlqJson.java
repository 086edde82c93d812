package io.beacon.cdp.dlq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.OutboxMessage;
import java.util.Map;

/**
 * The JSON of listings and replay results, shared by the API ({@code CdpDlqRoutes}) and {@code ./beacon cdp dlq}
 * so both print the same thing. A letter shows what a person needs to decide on a replay, never the message's
 * payload nor anything of the destination's definition (its secret is not in a letter at all).
 */
public final class CdpDlqJson {

    private CdpDlqJson() {
    }

    /**
     * {@code {"dead_letters":[…],"next_cursor":"…"|null,"scanned","unreadable","truncated"}}.
     *
     * @param replayedAt {@link CdpDlqReplayer#replayedAt()}, for each letter's {@code replayed_at_ms}
     */
    public static ObjectNode page(CdpDlqPage page, Map<String, Long> replayedAt) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode letters = o.putArray("dead_letters");
        page.letters().forEach(e -> letters.add(entry(e, replayedAt.get(e.replayKey()))));
        if (page.nextCursor().isPresent()) {
            o.put("next_cursor", page.nextCursor().get().encode());
        } else {
            o.putNull("next_cursor");
        }
        o.put("scanned", page.scanned());
        o.put("unreadable", page.unreadable());
        o.put("truncated", page.truncated());
        return o;
    }

    /**
     * {@code {"message_id","destination_id","person_id","type","created_at_ms","attempts","error_class",
     * "last_error","last_status","failed_at_ms","replayed_at_ms","partition","offset"}}.
     *
     * @param replayedAt when the letter was last replayed, {@code null} (JSON null) when never
     */
    public static ObjectNode entry(CdpDlqEntry entry, Long replayedAt) {
        CdpDeadLetter l = entry.letter();
        OutboxMessage m = l.message();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("message_id", m.messageId());
        o.put("destination_id", m.destinationId());
        o.put("person_id", m.personId());
        o.put("type", m.type());
        o.put("created_at_ms", m.createdAtMs());
        o.put("attempts", l.attempts());
        o.put("error_class", l.errorClass().wireName());
        if (l.lastError() == null) {
            o.putNull("last_error");
        } else {
            o.put("last_error", l.lastError());
        }
        o.put("last_status", l.lastStatus());
        o.put("failed_at_ms", l.failedAtMs());
        if (replayedAt == null) {
            o.putNull("replayed_at_ms");
        } else {
            o.put("replayed_at_ms", replayedAt);
        }
        o.put("partition", entry.position().partition());
        o.put("offset", entry.position().offset());
        return o;
    }

    /** {@code {"dry_run","selected","already_replayed","duplicates","to_replay","replayed","truncated"}}. */
    public static ObjectNode result(CdpReplayResult r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("dry_run", r.dryRun());
        o.put("selected", r.selected());
        o.put("already_replayed", r.alreadyReplayed());
        o.put("duplicates", r.duplicates());
        o.put("to_replay", r.toReplay());
        o.put("replayed", r.replayed());
        o.put("truncated", r.truncated());
        return o;
    }
}
