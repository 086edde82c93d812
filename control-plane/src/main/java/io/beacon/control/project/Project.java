package io.beacon.control.project;

import io.beacon.control.FieldError;
import io.beacon.control.NameRules;
import io.beacon.control.store.ConfigKey;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A project: the unit of data isolation, with its own keys, time zone and enforcement mode. Stored
 * under {@code project/<id>/<id>}.
 *
 * <p>Wire (snake_case): {@code {"id","name","timezone","mode":"permissive|strict","write_key",
 * "secret_key","pii_secret"}} plus the store's {@code version}. Keys are stored as they are so they
 * can be checked; {@link #toString()} never shows them.
 *
 * @param id        {@link NameRules#checkProjectId project id grammar}
 * @param name      display name, {@link NameRules#checkName name grammar}
 * @param timezone  an IANA zone id ({@code Europe/Berlin}, {@code UTC}) used for calendar analyses
 * @param mode      the enforcement mode
 * @param writeKey  the ingest-only key SDKs send
 * @param secretKey the key of the admin API ({@code Authorization: Bearer <secret>})
 * @param piiSecret the HMAC key of {@code pii=hash} properties; never leaves the server
 */
public record Project(String id, String name, String timezone, EnforcementMode mode,
                      String writeKey, String secretKey, String piiSecret) {
    public static final String KIND = "project";
    static final int MIN_KEY_LENGTH = 16;
    static final int MAX_KEY_LENGTH = 200;

    /** The config key of project {@code id}. */
    public static ConfigKey key(String id) {
        return ConfigKey.of(KIND, id, id);
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    public Project withName(String newName) {
        return new Project(id, newName, timezone, mode, writeKey, secretKey, piiSecret);
    }

    public Project withTimezone(String newTimezone) {
        return new Project(id, name, newTimezone, mode, writeKey, secretKey, piiSecret);
    }

    public Project withMode(EnforcementMode newMode) {
        return new Project(id, name, timezone, newMode, writeKey, secretKey, piiSecret);
    }

    public Project withWriteKey(String newKey) {
        return new Project(id, name, timezone, mode, newKey, secretKey, piiSecret);
    }

    public Project withSecretKey(String newKey) {
        return new Project(id, name, timezone, mode, writeKey, newKey, piiSecret);
    }

    /** Every problem of this document, by field; empty when it is valid. Pure. */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        NameRules.checkProjectId(id).ifPresent(m -> errors.add(new FieldError("id", m)));
        NameRules.checkName(name).ifPresent(m -> errors.add(new FieldError("name", m)));
        if (timezone == null || timezone.isEmpty()) {
            errors.add(new FieldError("timezone", "must not be empty"));
        } else {
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                errors.add(new FieldError("timezone", "'" + timezone + "' is not a time zone id (e.g. UTC, Europe/Berlin)"));
            }
        }
        if (mode == null) {
            errors.add(new FieldError("mode", "must be one of permissive|strict"));
        }
        checkKey("write_key", writeKey, errors);
        checkKey("secret_key", secretKey, errors);
        checkKey("pii_secret", piiSecret, errors);
        if (writeKey != null && writeKey.equals(secretKey)) {
            errors.add(new FieldError("secret_key", "must differ from the write key"));
        }
        return errors;
    }

    private static void checkKey(String field, String key, List<FieldError> errors) {
        if (key == null || key.length() < MIN_KEY_LENGTH || key.length() > MAX_KEY_LENGTH) {
            errors.add(new FieldError(field, "must be " + MIN_KEY_LENGTH + "–" + MAX_KEY_LENGTH + " characters"));
        } else if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            errors.add(new FieldError(field, "must be printable ASCII without spaces"));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Project p && Objects.equals(id, p.id) && Objects.equals(name, p.name)
                && Objects.equals(timezone, p.timezone) && mode == p.mode && Objects.equals(writeKey, p.writeKey)
                && Objects.equals(secretKey, p.secretKey) && Objects.equals(piiSecret, p.piiSecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, timezone, mode, writeKey, secretKey, piiSecret);
    }

    /** Without the keys: they are credentials. */
    @Override
    public String toString() {
        return "Project[id=" + id + ", name=" + name + ", timezone=" + timezone + ", mode=" + mode + "]";
    }
}
