package io.beacon.engine.scoring;

import io.beacon.ml.Task;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The models that score one project's users, per task (either task may be absent), in task order. Immutable. */
public record ActiveModels(Map<Task, TaskModels> tasks) {
    public static final ActiveModels NONE = new ActiveModels(Map.of());

    public ActiveModels {
        EnumMap<Task, TaskModels> m = new EnumMap<>(Task.class);
        m.putAll(tasks);
        m.forEach((t, models) -> {
            if (models.task() != t) {
                throw new IllegalArgumentException("the models under " + t.id() + " predict " + models.task().id());
            }
        });
        tasks = Collections.unmodifiableMap(m);
    }

    public Optional<TaskModels> task(Task task) {
        return Optional.ofNullable(tasks.get(task));
    }

    /** The tasks' models, churn before LTV. */
    public Collection<TaskModels> all() {
        return tasks.values();
    }

    public boolean isEmpty() {
        return tasks.isEmpty();
    }

    /** A copy with {@code models} serving its task. */
    public ActiveModels with(TaskModels models) {
        EnumMap<Task, TaskModels> m = new EnumMap<>(Task.class);
        m.putAll(tasks);
        m.put(models.task(), models);
        return new ActiveModels(m);
    }

    /** A copy without models for {@code task}. */
    public ActiveModels without(Task task) {
        EnumMap<Task, TaskModels> m = new EnumMap<>(Task.class);
        m.putAll(tasks);
        m.remove(task);
        return new ActiveModels(m);
    }
}
