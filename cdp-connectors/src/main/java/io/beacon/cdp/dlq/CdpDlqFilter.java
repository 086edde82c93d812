package io.beacon.cdp.dlq;

import io.beacon.event.RefusedException;
import io.beacon.event.cdp.CdpDeadLetter;
import io.beacon.event.cdp.ErrorClass;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which of the connectors' dead letters a listing shows or a replay takes; every present criterion must hold.
 * A value, so the API and the CLI select the same letters for the same words.
 *
 * @param projectId     only letters of this project; empty = every project (operators' CLI only, never the API)
 * @param destinationId only letters for this destination; empty = every destination
 * @param fromMs        only letters with {@code failed_at >= fromMs} (epoch ms)
 * @param toMs          only letters with {@code failed_at <= toMs} (epoch ms, inclusive)
 * @param errorClass    only letters of this error class
 */
public record CdpDlqFilter(Optional<String> projectId, Optional<String> destinationId, OptionalLong fromMs,
                           OptionalLong toMs, Optional<ErrorClass> errorClass) {

    public CdpDlqFilter {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(fromMs, "fromMs");
        Objects.requireNonNull(toMs, "toMs");
        Objects.requireNonNull(errorClass, "errorClass");
        if (fromMs.isPresent() && toMs.isPresent() && fromMs.getAsLong() > toMs.getAsLong()) {
            throw new RefusedException(RefusedException.Kind.INVALID, "INVALID_RANGE",
                    "from (" + fromMs.getAsLong() + ") is after to (" + toMs.getAsLong() + ")", "from");
        }
    }

    /** Every letter of {@code projectId}. */
    public static CdpDlqFilter project(String projectId) {
        return new CdpDlqFilter(Optional.of(projectId), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty());
    }

    /** Every letter of every project. */
    public static CdpDlqFilter all() {
        return new CdpDlqFilter(Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty());
    }

    public CdpDlqFilter withDestination(String newDestinationId) {
        return new CdpDlqFilter(projectId, Optional.ofNullable(newDestinationId), fromMs, toMs, errorClass);
    }

    /** Letters that failed in {@code [from, to]}; either bound may be {@code null} (open). */
    public CdpDlqFilter withRange(Long from, Long to) {
        return new CdpDlqFilter(projectId, destinationId, from == null ? OptionalLong.empty() : OptionalLong.of(from),
                to == null ? OptionalLong.empty() : OptionalLong.of(to), errorClass);
    }

    public CdpDlqFilter withErrorClass(ErrorClass newErrorClass) {
        return new CdpDlqFilter(projectId, destinationId, fromMs, toMs, Optional.ofNullable(newErrorClass));
    }

    public boolean matches(CdpDeadLetter letter) {
        var m = letter.message();
        return projectId.map(p -> p.equals(m.projectId())).orElse(true)
                && destinationId.map(d -> d.equals(m.destinationId())).orElse(true)
                && (fromMs.isEmpty() || letter.failedAtMs() >= fromMs.getAsLong())
                && (toMs.isEmpty() || letter.failedAtMs() <= toMs.getAsLong())
                && errorClass.map(c -> c == letter.errorClass()).orElse(true);
    }
}
