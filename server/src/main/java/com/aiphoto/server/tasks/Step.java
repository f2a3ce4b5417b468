package com.aiphoto.server.tasks;

/**
 * The engine's next step for a task ({@code tasks.step}). Each run of the task's execution does one step and moves
 * the row on with a guarded update ({@code WHERE step = ? AND step_index = ?}), so a duplicate wake-up finds the
 * row already moved and does nothing.
 */
enum Step {
    /** hand the input to the provider; the vendor's id is stored at once */
    SUBMIT("submit"),
    /** ask the provider (or wait for a webhook or worker callback) until the work is done or failed */
    POLL("poll"),
    /** copy the outputs into {@code output/<taskId>/} and end the task succeeded */
    FETCH("fetch"),
    /** nothing left to do: succeeded, or failed and refunded */
    FINISHED("finished");

    private final String id;

    Step(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    static Step of(String id) {
        for (Step s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown step " + id);
    }
}
