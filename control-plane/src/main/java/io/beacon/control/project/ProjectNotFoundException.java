package io.beacon.control.project;

/** No project has this id. The admin API answers 404. */
public final class ProjectNotFoundException extends RuntimeException {
    public ProjectNotFoundException(String id) {
        super("no project '" + id + "'", null, false, false);
    }
}
