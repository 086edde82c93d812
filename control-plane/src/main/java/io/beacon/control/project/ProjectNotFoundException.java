package io.beacon.control.project;

import io.beacon.event.RefusedException;

/** No project has this id (404 {@code NOT_FOUND}). */
public final class ProjectNotFoundException extends RefusedException {
    public ProjectNotFoundException(String id) {
        super(Kind.NOT_FOUND, "NOT_FOUND", "no project '" + id + "'", null);
    }
}
