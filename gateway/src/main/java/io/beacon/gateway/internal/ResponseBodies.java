package io.beacon.gateway.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import io.beacon.event.IncomingRequest;
import io.beacon.event.Rejection;
import io.beacon.httpkit.ErrorBody;
import java.util.List;

/** The JSON bodies the collection API answers with (Segment's {@code {"success": true}} plus Beacon's details). */
final class ResponseBodies {
    private ResponseBodies() {
    }

    /** {@code {"success":true}}. */
    static ObjectNode success() {
        return EventCodec.mapper().createObjectNode().put("success", true);
    }

    /**
     * {@code {"success":…,"accepted":N,"rejected":[{"index":i,"code":…,"message":…,"field":…}]}}, plus
     * {@code "error"} when {@code error} is given.
     */
    static ObjectNode batch(int accepted, List<IncomingRequest.Prepared> rejected, Rejection error) {
        ObjectNode body = EventCodec.mapper().createObjectNode();
        body.put("success", error == null);
        body.put("accepted", accepted);
        ArrayNode items = body.putArray("rejected");
        for (IncomingRequest.Prepared p : rejected) {
            Rejection r = p.rejection();
            details(items.addObject().put("index", p.index()), r.code().name(), r.message(), r.field());
        }
        if (error != null) {
            body.set("error", details(EventCodec.mapper().createObjectNode(), error.code().name(), error.message(), error.field()));
        }
        return body;
    }

    /**
     * PostHog's capture answer {@code {"status":1}}; when some events were refused, also
     * {@code "accepted"} and {@code "rejected"} as in {@link #batch}.
     */
    static ObjectNode captured(int accepted, List<IncomingRequest.Prepared> rejected) {
        ObjectNode body = EventCodec.mapper().createObjectNode().put("status", 1);
        if (!rejected.isEmpty()) {
            body.put("accepted", accepted);
            ArrayNode items = body.putArray("rejected");
            for (IncomingRequest.Prepared p : rejected) {
                Rejection r = p.rejection();
                details(items.addObject().put("index", p.index()), r.code().name(), r.message(), r.field());
            }
        }
        return body;
    }

    private static ObjectNode details(ObjectNode node, String code, String message, String field) {
        return ErrorBody.fill(node, code, message, field);
    }
}
