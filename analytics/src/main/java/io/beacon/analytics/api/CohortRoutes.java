package io.beacon.analytics.api;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.api.internal.AnalyticsErrors;
import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.analytics.cohorts.CohortDocument;
import io.beacon.analytics.cohorts.Cohorts;
import io.beacon.control.project.Project;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.BodyLimit;
import io.beacon.httpkit.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Cohorts, secret-key authenticated like the insights:
 * <pre>
 * GET    /api/v1/cohorts                       list
 * POST   /api/v1/cohorts                       create {id?, name, description?, type: dynamic|static, definition?}
 * GET    /api/v1/cohorts/{id}                  one definition (with version)
 * PUT    /api/v1/cohorts/{id}                  replace; body carries the current "version"
 * DELETE /api/v1/cohorts/{id}                  delete (and its materialized members)
 * GET    /api/v1/cohorts/{id}/count            {"count"}
 * GET    /api/v1/cohorts/{id}/members?offset=&amp;limit=   {"persons": […], "offset", "limit"} ordered by id
 * GET    /api/v1/cohorts/{id}/members.csv      every member, text/csv (header person_id)
 * POST   /api/v1/cohorts/{id}/members          text/csv import of ids into a static cohort (replaces its members)
 * POST   /api/v1/cohorts/{id}/materialize      a static cohort's definition evaluated now becomes its members
 * </pre>
 */
public final class CohortRoutes extends AllDirectives {
    /** CSV imports larger than this answer 413. */
    public static final int MAX_CSV_BYTES = 5 * 1024 * 1024;
    private static final int MAX_JSON_BYTES = 256 * 1024;
    private static final int MAX_PAGE = 10_000;
    private static final int MAX_EXPORT = 1_000_000;

    private final RouteContext api;

    CohortRoutes(RouteContext api) {
        this.api = api;
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("cohorts", () ->
                optionalHeaderValueByName("Authorization", auth -> concat(
                        pathEndOrSingleSlash(() -> collection(auth)),
                        pathPrefix(segment(), id -> item(auth, id)))))));
    }

    private Route collection(Optional<String> auth) {
        return concat(
                get(() -> call(auth, (p, now) -> list(p))),
                post(() -> entity(Unmarshaller.entityToByteArray(), body ->
                        call(auth, (p, now) -> created(cohorts().create(p.id(), json(body)).toApi())))));
    }

    private Route item(Optional<String> auth, String id) {
        Route self = concat(
                get(() -> call(auth, (p, now) -> ok(cohorts().get(p.id(), id).toApi()))),
                put(() -> entity(Unmarshaller.entityToByteArray(), body ->
                        call(auth, (p, now) -> ok(cohorts().update(p.id(), id, json(body)).toApi())))),
                delete(() -> call(auth, (p, now) -> {
                    cohorts().delete(p.id(), id);
                    return HttpResponse.create().withStatus(204);
                })));
        Route count = get(() -> call(auth, (p, now) -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", id);
            o.put("count", cohorts().count(p.id(), id, p.zone(), now));
            return ok(o);
        }));
        Route members = concat(
                get(() -> parameterMap(params -> call(auth, (p, now) -> page(p, id, params, now)))),
                post(() -> extractRequestEntity(entity -> entity(Unmarshaller.entityToByteArray(), body ->
                        call(auth, (p, now) -> importCsv(p, id, entity.getContentType().mediaType().toString(), body))))));
        Route materialize = post(() -> call(auth, (p, now) -> ok(cohorts().materialize(p.id(), id, p.zone(), now))));
        return concat(
                pathEndOrSingleSlash(() -> self),
                path("count", () -> count),
                path("members.csv", () -> get(() -> call(auth, (p, now) -> csv(p, id, now)))),
                path("members", () -> members),
                path("materialize", () -> materialize));
    }

    private Cohorts cohorts() {
        return api.analytics().cohorts();
    }

    private interface Handler {
        HttpResponse handle(Project project, Instant now);
    }

    private Route call(Optional<String> auth, Handler handler) {
        return completeWithFuture(run(auth, handler));
    }

    private CompletionStage<HttpResponse> run(Optional<String> auth, Handler handler) {
        return AnalyticsErrors.ERRORS.guard(() -> {
            Project project = api.keys().authenticate(auth);
            return CompletableFuture.supplyAsync(() -> handler.handle(project, api.analytics().clock().instant()), api.analytics().executor());
        });
    }

    private HttpResponse list(Project p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode a = o.putArray("cohorts");
        for (CohortDocument d : cohorts().list(p.id())) {
            a.add(d.toApi());
        }
        return ok(o);
    }

    private HttpResponse page(Project p, String id, Map<String, String> params, Instant now) {
        int offset = intParam(params, "offset", 0, Integer.MAX_VALUE, 0);
        int limit = intParam(params, "limit", 1, MAX_PAGE, 100);
        List<String> persons = cohorts().members(p.id(), id, p.zone(), now, offset, limit);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("offset", offset);
        o.put("limit", limit);
        ArrayNode a = o.putArray("persons");
        persons.forEach(a::add);
        if (persons.size() == limit) {
            o.put("next_offset", offset + limit);
        }
        return ok(o);
    }

    private HttpResponse csv(Project p, String id, Instant now) {
        StringBuilder sb = new StringBuilder("person_id\n");
        for (String person : cohorts().members(p.id(), id, p.zone(), now, 0, MAX_EXPORT)) {
            boolean quote = person.indexOf(',') >= 0 || person.indexOf('"') >= 0 || person.indexOf('\n') >= 0 || person.indexOf('\r') >= 0;
            sb.append(quote ? "\"" + person.replace("\"", "\"\"") + "\"" : person).append('\n');
        }
        return HttpResponse.create().withStatus(200)
                .withEntity(HttpEntities.create(ContentTypes.TEXT_CSV_UTF8, sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse importCsv(Project p, String id, String mediaType, byte[] body) {
        if (!mediaType.equals("text/csv") && !mediaType.equals("text/plain")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "send the ids as text/csv (one id per line)", "content-type");
        }
        BodyLimit.requireAtMost(body, MAX_CSV_BYTES, "CSV", "body");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("INVALID_CSV", "the CSV is not valid UTF-8", "body");
        }
        return ok(cohorts().importCsv(p.id(), id, text));
    }

    private static int intParam(Map<String, String> params, String name, int min, int max, int dflt) {
        String v = params.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_PARAMETER", name + " must be an integer " + min + "–" + max, name);
        }
    }

    private static JsonNode json(byte[] body) {
        return Json.parseObject(BodyLimit.requireAtMost(body, MAX_JSON_BYTES, "body", "body"));
    }

    private static HttpResponse ok(JsonNode body) {
        return Json.response(200, body);
    }

    private static HttpResponse created(JsonNode body) {
        return Json.response(201, body);
    }
}
