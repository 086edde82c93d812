package io.beacon.control.destinations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.NameRules;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.store.ConfigEntry;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The JSON of destination definitions (docs/connectors.md, "Destinations"). Parsing is strict and pure:
 * unknown fields, wrong JSON types, out-of-range numbers, malformed URLs, secrets, headers, templates or
 * subscriptions fail with {@link InvalidDocumentException} naming the JSON path of the first problem
 * (e.g. {@code subscriptions[0].where[1].op}). What needs the world — the address policy and whether a
 * subscribed segment exists — is checked by {@link DestinationService#check}.
 *
 * <p>Secrets are written in full to the stored document and to the answers of a create or update only;
 * every other answer shows them {@link #mask masked}. A masked secret sent back on an update stands for
 * the current secret it masks, so a GET answer can be edited and sent back.
 */
public final class DestinationJson {
    public static final int MAX_URL_LENGTH = 2000;
    public static final int MAX_SECRETS = 3;
    public static final int MIN_SECRET_BYTES = 24;
    public static final int MAX_SECRET_BYTES = 64;
    public static final int MAX_HEADERS = 20;
    public static final int MAX_HEADER_VALUE_LENGTH = 2000;
    public static final int MIN_RATE_LIMIT = 1;
    public static final int MAX_RATE_LIMIT = 10_000;
    public static final int DEFAULT_RATE_LIMIT = 50;
    public static final int MIN_CONCURRENCY = 1;
    public static final int MAX_CONCURRENCY = 64;
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int MAX_SUBSCRIPTIONS = 50;
    public static final int MAX_CONDITIONS = 20;
    public static final int MAX_TEMPLATE_LENGTH = 4000;
    public static final int MAX_FIELD_MAPPINGS = 100;
    public static final int MIN_BATCH_SIZE = 1;
    public static final int MAX_BATCH_SIZE = 100;
    public static final String SECRET_PREFIX = "whsec_";
    /** Header names a destination may not set: the connectors set them (signature, body) or the HTTP client owns them. */
    public static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive");

    private static final String MASK_END = "…";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> BODY_FIELDS = Set.of("id", "project_id", "name", "type", "url", "secrets", "headers",
            "rate_limit_per_second", "concurrency", "enabled", "disabled_reason", "subscriptions", "template", "crm",
            "version", "updated_at");
    private static final Set<String> SEGMENT_SUBSCRIPTION_FIELDS = Set.of("on", "segment");
    private static final Set<String> EVENT_SUBSCRIPTION_FIELDS = Set.of("on", "event", "where");
    private static final Set<String> CONDITION_FIELDS = Set.of("property", "op", "value");
    private static final Set<String> TEMPLATE_FIELDS = Set.of("title", "body", "deep_link");
    private static final Set<String> CRM_FIELDS = Set.of("field_mapping", "list", "batch_size");

    private DestinationJson() {
    }

    // ---- definitions ---------------------------------------------------------------------------

    /** {@link #parseBody(JsonNode, String, String, List, Supplier)} for a create: no current secrets, absent ones generated. */
    public static DestinationDefinition parseBody(JsonNode body, String projectId, String id) {
        return parseBody(body, projectId, id, List.of(), DestinationJson::newSecret);
    }

    /**
     * A definition from an API body ({@code version}, {@code updated_at}, {@code disabled_reason} and a matching
     * {@code project_id} are accepted and ignored, so a GET answer can be sent back). {@code id} overrides/fills
     * the body's id (from the path or generated).
     *
     * @param currentSecrets the stored secrets on an update (empty on a create): kept when the body has no
     *                       {@code secrets}, and what masked secrets in the body stand for
     * @param newSecret      the secret when neither the body nor the current definition has one
     */
    public static DestinationDefinition parseBody(JsonNode body, String projectId, String id, List<String> currentSecrets,
                                                  Supplier<String> newSecret) {
        if (body == null || !body.isObject()) {
            throw InvalidDocumentException.of("body", "must be a JSON object");
        }
        rejectUnknown(body, BODY_FIELDS, "");
        JsonNode pid = body.get("project_id");
        if (pid != null && !pid.isNull() && !(pid.isTextual() && pid.asText().equals(projectId))) {
            throw InvalidDocumentException.of("project_id", "must be the project of the secret key ('" + projectId + "')");
        }
        String bodyId = optionalText(body, "id", "id");
        if (bodyId != null && id != null && !bodyId.equals(id)) {
            throw InvalidDocumentException.of("id", "must match the id in the path ('" + id + "')");
        }
        String theId = id != null ? id : bodyId;
        DestinationDefinition.checkId(theId).ifPresent(m -> {
            throw InvalidDocumentException.of("id", m);
        });
        String name = optionalText(body, "name", "name");
        NameRules.checkName(name).ifPresent(m -> {
            throw InvalidDocumentException.of("name", m);
        });
        String typeText = optionalText(body, "type", "type");
        if (typeText == null) {
            throw InvalidDocumentException.of("type", "is required (webhook, push or crm)");
        }
        DestinationType type;
        try {
            type = DestinationType.fromWire(typeText);
        } catch (IllegalArgumentException e) {
            throw InvalidDocumentException.of("type", e.getMessage());
        }
        String url = optionalText(body, "url", "url");
        checkUrl(url);
        List<String> secrets = secrets(body.get("secrets"), currentSecrets, newSecret);
        Map<String, String> headers = headers(body.get("headers"));
        int rate = optionalInt(body, "rate_limit_per_second", MIN_RATE_LIMIT, MAX_RATE_LIMIT, DEFAULT_RATE_LIMIT, "rate_limit_per_second");
        int concurrency = optionalInt(body, "concurrency", MIN_CONCURRENCY, MAX_CONCURRENCY, DEFAULT_CONCURRENCY, "concurrency");
        boolean enabled = optionalBoolean(body, "enabled", true);
        List<Subscription> subscriptions = subscriptions(body.get("subscriptions"));
        PushTemplate template = template(body.get("template"), type);
        CrmSettings crm = crm(body.get("crm"), type);
        return new DestinationDefinition(projectId, theId, name, type, url, secrets, headers, rate, concurrency, enabled,
                null, subscriptions, template, crm, 0, 0);
    }

    /** The stored document: every field with the full secrets, and {@code updated_at} (the store adds {@code version}). */
    public static ObjectNode toDocument(DestinationDefinition def) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", def.id());
        o.put("name", def.name());
        o.put("type", def.type().wireName());
        o.put("url", def.url());
        ArrayNode secrets = o.putArray("secrets");
        def.secrets().forEach(secrets::add);
        ObjectNode headers = o.putObject("headers");
        def.headers().forEach(headers::put);
        o.put("rate_limit_per_second", def.rateLimitPerSecond());
        o.put("concurrency", def.concurrency());
        o.put("enabled", def.enabled());
        if (def.disabledReason() != null) {
            o.put("disabled_reason", def.disabledReason());
        }
        ArrayNode subs = o.putArray("subscriptions");
        def.subscriptions().forEach(s -> subs.add(toJson(s)));
        if (def.template() != null) {
            ObjectNode t = o.putObject("template");
            t.put("title", def.template().title().source());
            t.put("body", def.template().body().source());
            if (def.template().deepLink() != null) {
                t.put("deep_link", def.template().deepLink().source());
            }
        }
        if (def.crm() != null) {
            ObjectNode c = o.putObject("crm");
            ObjectNode mapping = c.putObject("field_mapping");
            def.crm().fieldMapping().forEach((k, v) -> mapping.put(k, v.source()));
            if (def.crm().list() != null) {
                c.put("list", def.crm().list());
            }
            c.put("batch_size", def.crm().batchSize());
        }
        o.put("updated_at", Instant.ofEpochMilli(def.updatedAtMs()).toString());
        return o;
    }

    /**
     * The API answer: the document plus {@code project_id} and {@code version}; the secrets in full only
     * with {@code revealSecrets} (the answer of a create or update), else {@link #mask masked}.
     */
    public static ObjectNode toApiJson(DestinationDefinition def, boolean revealSecrets) {
        ObjectNode o = toDocument(def);
        if (!revealSecrets) {
            ArrayNode masked = o.putArray("secrets");
            def.secrets().forEach(s -> masked.add(mask(s)));
        }
        o.put("project_id", def.projectId());
        o.put("version", def.version());
        return o;
    }

    /** {@code {"secrets":[…]}} in full, for {@code GET /api/v1/destinations/{id}/secret}. */
    public static ObjectNode secretsJson(DestinationDefinition def) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode secrets = o.putArray("secrets");
        def.secrets().forEach(secrets::add);
        return o;
    }

    /**
     * A stored entry read back (project from the key, version from the entry).
     *
     * @throws InvalidDocumentException when the document is not a valid destination
     */
    public static DestinationDefinition fromEntry(ConfigEntry entry) {
        JsonNode doc = entry.document();
        DestinationDefinition def = parseBody(doc, entry.key().project(), entry.key().id(), List.of(), () -> {
            throw InvalidDocumentException.of("secrets", "is required in a stored destination");
        });
        String reason = optionalText(doc, "disabled_reason", "disabled_reason");
        long updatedAt = 0;
        JsonNode u = doc.get("updated_at");
        if (u != null && u.isTextual()) {
            try {
                updatedAt = Instant.parse(u.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw InvalidDocumentException.of("updated_at", "must be an ISO-8601 instant");
            }
        }
        return def.withEnabled(def.enabled(), def.enabled() ? null : reason).withVersion(entry.version(), updatedAt);
    }

    // ---- secrets -------------------------------------------------------------------------------

    /** A new signing secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** {@code whsec_} and the first 4 characters of the key, then {@code …}: enough to tell secrets apart, useless to sign. */
    public static String mask(String secret) {
        String key = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return SECRET_PREFIX + key.substring(0, Math.min(4, key.length())) + MASK_END;
    }

    /** The key bytes of a {@code whsec_} secret (what HMAC-SHA256 signs with). */
    public static byte[] secretKey(String secret) {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    /** Why {@code secret} is not {@code whsec_} + base64 of 24..64 bytes, or empty when it is. */
    public static Optional<String> checkSecret(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return Optional.of("must start with '" + SECRET_PREFIX + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.of("must be '" + SECRET_PREFIX + "' followed by standard base64");
        }
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            return Optional.of("must encode " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " bytes, was " + key.length);
        }
        return Optional.empty();
    }

    private static List<String> secrets(JsonNode node, List<String> current, Supplier<String> newSecret) {
        if (node == null || node.isNull()) {
            return current.isEmpty() ? List.of(newSecret.get()) : current;
        }
        if (!node.isArray()) {
            throw InvalidDocumentException.of("secrets", "must be an array of 1 to " + MAX_SECRETS + " secrets, newest first");
        }
        if (node.isEmpty() || node.size() > MAX_SECRETS) {
            throw InvalidDocumentException.of("secrets", "must hold 1 to " + MAX_SECRETS + " secrets, had " + node.size());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "secrets[" + i + "]";
            JsonNode s = node.get(i);
            if (!s.isTextual()) {
                throw InvalidDocumentException.of(path, "must be a string");
            }
            String secret = s.asText();
            if (secret.endsWith(MASK_END)) {
                secret = current.stream().filter(c -> mask(c).equals(s.asText())).findFirst().orElseThrow(() ->
                        InvalidDocumentException.of(path, "is a masked secret that matches none of the current secrets"));
            }
            checkSecret(secret).ifPresent(m -> {
                throw InvalidDocumentException.of(path, m);
            });
            if (out.contains(secret)) {
                throw InvalidDocumentException.of(path, "repeats secrets[" + out.indexOf(secret) + "]");
            }
            out.add(secret);
        }
        return out;
    }

    // ---- url and headers -----------------------------------------------------------------------

    /** Throws {@link InvalidDocumentException} on {@code url} unless it is an absolute http(s) URL with a host and no user info. */
    public static void checkUrl(String url) {
        if (url == null || url.isEmpty()) {
            throw InvalidDocumentException.of("url", "is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw InvalidDocumentException.of("url", "must be at most " + MAX_URL_LENGTH + " characters, was " + url.length());
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw InvalidDocumentException.of("url", "is not a valid URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw InvalidDocumentException.of("url", "must be an absolute http or https URL");
        }
        if (u.getRawUserInfo() != null) {
            throw InvalidDocumentException.of("url", "must not contain user info (put credentials in headers)");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw InvalidDocumentException.of("url", "must name a host");
        }
        if (u.getPort() > 65535) {
            throw InvalidDocumentException.of("url", "has a port above 65535");
        }
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw InvalidDocumentException.of("headers", "must be a JSON object of header name to value");
        }
        if (node.size() > MAX_HEADERS) {
            throw InvalidDocumentException.of("headers", "must hold at most " + MAX_HEADERS + " headers, had " + node.size());
        }
        Set<String> seen = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            String path = "headers." + name;
            String lower = name.toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                throw InvalidDocumentException.of(path, "is not a valid header name (an RFC 7230 token)");
            }
            if (lower.startsWith("webhook-") || RESERVED_HEADERS.contains(lower)) {
                throw InvalidDocumentException.of(path, "is set by Beacon and cannot be configured");
            }
            if (!seen.add(lower)) {
                throw InvalidDocumentException.of(path, "repeats a header name (names are case-insensitive)");
            }
            if (!e.getValue().isTextual()) {
                throw InvalidDocumentException.of(path, "must be a string");
            }
            String value = e.getValue().asText();
            if (value.length() > MAX_HEADER_VALUE_LENGTH) {
                throw InvalidDocumentException.of(path, "must be at most " + MAX_HEADER_VALUE_LENGTH + " characters");
            }
            if (value.chars().anyMatch(c -> c == 0x7f || (c < 0x20 && c != '\t'))) {
                throw InvalidDocumentException.of(path, "must not contain control characters (CR, LF, NUL, …)");
            }
            out.put(name, value);
        }
        return out;
    }

    // ---- subscriptions -------------------------------------------------------------------------

    private static List<Subscription> subscriptions(JsonNode node) {
        List<Subscription> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw InvalidDocumentException.of("subscriptions", "must be an array");
        }
        if (node.size() > MAX_SUBSCRIPTIONS) {
            throw InvalidDocumentException.of("subscriptions", "must hold at most " + MAX_SUBSCRIPTIONS + " subscriptions, had " + node.size());
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "subscriptions[" + i + "]";
            Subscription s = subscription(node.get(i), path);
            if (out.contains(s)) {
                throw InvalidDocumentException.of(path, "repeats subscriptions[" + out.indexOf(s) + "]");
            }
            out.add(s);
        }
        return out;
    }

    private static Subscription subscription(JsonNode node, String path) {
        if (!node.isObject()) {
            throw InvalidDocumentException.of(path, "must be a JSON object");
        }
        String on = optionalText(node, "on", path + ".on");
        if (on == null) {
            throw InvalidDocumentException.of(path + ".on", "is required (segment_entered, segment_exited or event)");
        }
        switch (on) {
            case "segment_entered", "segment_exited" -> {
                rejectUnknown(node, SEGMENT_SUBSCRIPTION_FIELDS, path + ".");
                String segment = optionalText(node, "segment", path + ".segment");
                if (segment == null) {
                    throw InvalidDocumentException.of(path + ".segment", "is required");
                }
                SegmentDefinition.checkId(segment).ifPresent(m -> {
                    throw InvalidDocumentException.of(path + ".segment", m);
                });
                return on.equals("segment_entered") ? new Subscription.SegmentEntered(segment) : new Subscription.SegmentExited(segment);
            }
            case "event" -> {
                rejectUnknown(node, EVENT_SUBSCRIPTION_FIELDS, path + ".");
                String event = optionalText(node, "event", path + ".event");
                NameRules.checkName(event).ifPresent(m -> {
                    throw InvalidDocumentException.of(path + ".event", m);
                });
                return new Subscription.EventMatching(event, conditions(node.get("where"), path + ".where"));
            }
            default -> throw InvalidDocumentException.of(path + ".on", "must be one of segment_entered, segment_exited, event");
        }
    }

    private static List<PropertyFilter> conditions(JsonNode node, String path) {
        List<PropertyFilter> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw InvalidDocumentException.of(path, "must be an array");
        }
        if (node.size() > MAX_CONDITIONS) {
            throw InvalidDocumentException.of(path, "must hold at most " + MAX_CONDITIONS + " conditions, had " + node.size());
        }
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                throw InvalidDocumentException.of(at, "must be a JSON object");
            }
            rejectUnknown(c, CONDITION_FIELDS, at + ".");
            String property = optionalText(c, "property", at + ".property");
            NameRules.checkName(property).ifPresent(m -> {
                throw InvalidDocumentException.of(at + ".property", m);
            });
            String opText = optionalText(c, "op", at + ".op");
            FilterOp op;
            try {
                op = FilterOp.fromWire(opText);
            } catch (IllegalArgumentException e) {
                throw InvalidDocumentException.of(at + ".op", e.getMessage());
            }
            JsonNode value = c.get("value");
            boolean hasValue = value != null && !value.isNull();
            switch (op) {
                case EXISTS -> {
                    if (hasValue) {
                        throw InvalidDocumentException.of(at + ".value", "must be absent for op exists");
                    }
                    value = null;
                }
                case GT, LT -> {
                    if (!hasValue || !value.isNumber()) {
                        throw InvalidDocumentException.of(at + ".value", "must be a number for op " + op.wireName());
                    }
                }
                default -> {
                    if (!hasValue || !(value.isTextual() || value.isNumber() || value.isBoolean())) {
                        throw InvalidDocumentException.of(at + ".value", "must be a string, number or boolean for op " + op.wireName());
                    }
                }
            }
            out.add(new PropertyFilter(property, op, value));
        }
        return out;
    }

    private static ObjectNode toJson(Subscription s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (s instanceof Subscription.SegmentEntered e) {
            o.put("on", "segment_entered");
            o.put("segment", e.segment());
        } else if (s instanceof Subscription.SegmentExited e) {
            o.put("on", "segment_exited");
            o.put("segment", e.segment());
        } else if (s instanceof Subscription.EventMatching e) {
            o.put("on", "event");
            o.put("event", e.event());
            ArrayNode where = o.putArray("where");
            for (PropertyFilter f : e.where()) {
                ObjectNode c = where.addObject();
                c.put("property", f.property());
                c.put("op", f.op().wireName());
                if (f.value() != null) {
                    c.set("value", f.value());
                }
            }
        }
        return o;
    }

    // ---- push template and crm -----------------------------------------------------------------

    private static PushTemplate template(JsonNode node, DestinationType type) {
        if (node == null || node.isNull()) {
            if (type == DestinationType.PUSH) {
                throw InvalidDocumentException.of("template", "is required for type push (title and body)");
            }
            return null;
        }
        if (type != DestinationType.PUSH) {
            throw InvalidDocumentException.of("template", "is only for type push");
        }
        if (!node.isObject()) {
            throw InvalidDocumentException.of("template", "must be a JSON object");
        }
        rejectUnknown(node, TEMPLATE_FIELDS, "template.");
        Template title = templateText(node, "title", true);
        Template body = templateText(node, "body", true);
        Template deepLink = templateText(node, "deep_link", false);
        return new PushTemplate(title, body, deepLink);
    }

    private static Template templateText(JsonNode node, String field, boolean required) {
        String path = "template." + field;
        String text = optionalText(node, field, path);
        if (text == null || text.isEmpty()) {
            if (required) {
                throw InvalidDocumentException.of(path, "is required");
            }
            return null;
        }
        if (text.length() > MAX_TEMPLATE_LENGTH) {
            throw InvalidDocumentException.of(path, "must be at most " + MAX_TEMPLATE_LENGTH + " characters");
        }
        return Template.parse(text, path);
    }

    private static CrmSettings crm(JsonNode node, DestinationType type) {
        if (node == null || node.isNull()) {
            if (type == DestinationType.CRM) {
                throw InvalidDocumentException.of("crm.field_mapping", "is required for type crm");
            }
            return null;
        }
        if (type != DestinationType.CRM) {
            throw InvalidDocumentException.of("crm", "is only for type crm");
        }
        if (!node.isObject()) {
            throw InvalidDocumentException.of("crm", "must be a JSON object");
        }
        rejectUnknown(node, CRM_FIELDS, "crm.");
        JsonNode mapping = node.get("field_mapping");
        if (mapping == null || mapping.isNull()) {
            throw InvalidDocumentException.of("crm.field_mapping", "is required for type crm");
        }
        if (!mapping.isObject()) {
            throw InvalidDocumentException.of("crm.field_mapping", "must be a JSON object of CRM field to variable");
        }
        if (mapping.isEmpty() || mapping.size() > MAX_FIELD_MAPPINGS) {
            throw InvalidDocumentException.of("crm.field_mapping", "must map 1 to " + MAX_FIELD_MAPPINGS + " fields, had " + mapping.size());
        }
        Map<String, Template> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = mapping.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "crm.field_mapping." + e.getKey();
            NameRules.checkName(e.getKey()).ifPresent(m -> {
                throw InvalidDocumentException.of(path, "names a CRM field that " + m);
            });
            if (!e.getValue().isTextual()) {
                throw InvalidDocumentException.of(path, "must be a string (a variable such as traits.email)");
            }
            fields.put(e.getKey(), Template.mappingValue(e.getValue().asText(), path));
        }
        String list = optionalText(node, "list", "crm.list");
        if (list != null) {
            NameRules.checkName(list).ifPresent(m -> {
                throw InvalidDocumentException.of("crm.list", m);
            });
        }
        int batch = optionalInt(node, "batch_size", MIN_BATCH_SIZE, MAX_BATCH_SIZE, CrmSettings.DEFAULT_BATCH_SIZE, "crm.batch_size");
        return new CrmSettings(fields, list, batch);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void rejectUnknown(JsonNode v, Set<String> allowed, String prefix) {
        Iterator<String> names = v.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw InvalidDocumentException.of(prefix + n, "unknown field '" + n + "'");
            }
        }
    }

    private static String optionalText(JsonNode v, String field, String path) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw InvalidDocumentException.of(path, "must be a string");
        }
        return n.asText();
    }

    private static int optionalInt(JsonNode v, String field, int min, int max, int dflt, String path) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw InvalidDocumentException.of(path, "must be an integer from " + min + " to " + max);
        }
        int i = n.intValue();
        if (i < min || i > max) {
            throw InvalidDocumentException.of(path, "must be from " + min + " to " + max + ", was " + i);
        }
        return i;
    }

    private static boolean optionalBoolean(JsonNode v, String field, boolean dflt) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw InvalidDocumentException.of(field, "must be true or false");
        }
        return n.booleanValue();
    }
}
