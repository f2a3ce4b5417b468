package com.aiphoto.server.tasks;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.callbacks.RunningHubWebhooks;
import com.aiphoto.server.callbacks.StepCallbacks;
import com.aiphoto.server.platform.Scheduling;
import com.aiphoto.server.platform.kv.WakeupSignal;
import com.aiphoto.server.tasks.imaging.ImagingException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task engine. The state machine lives in the {@code tasks} row; db-scheduler supplies only the durable wake-up:
 * one execution of the one-time task {@value #TASK_NAME} per unfinished task (instance id = task id), created in the
 * transaction that creates the task. Each run does ONE step from the row's {@code step} (submit, poll, fetch) and
 * reschedules itself, so a crash loses at most the step in flight, which db-scheduler revives on another instance
 * after the missed heartbeats and which is safe to repeat:
 *
 * <ul>
 *   <li>submit: the vendor's id is written (with the step moving to poll) before anything else happens;
 *   <li>poll: asks the provider; when done, the outputs are recorded and the step moves to fetch;
 *   <li>fetch: copies the outputs to {@code output/<taskId>/} (same keys again on a repeat) and ends the task
 *       succeeded.
 * </ul>
 *
 * Every move is a guarded update on the step the run read, so duplicate wake-ups, webhooks and worker callbacks have
 * no double effect. Transient provider failures back off; a permanent failure, exhausted attempts, or the task
 * type's deadline end the task failed and refund its quota in the same transaction as the status change (the ledger
 * is unique on reason + ref, and the update only moves an unfinished row). Provider calls run with a time limit, so
 * a hung provider cannot keep a task past its deadline.
 */
public final class TaskEngine implements StepCallbacks, RunningHubWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEngine.class);
    static final String TASK_NAME = "task-step";
    /** The wake-up topic: a task became due now (created, webhook, callback); every instance checks at once. */
    static final String WAKE_TOPIC = "tasks";

    static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");
    /** Added to the step timeout before a submit claim counts as a dead run's. */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(5);

    private final TaskStore store;
    private final QuotaLedger ledger;
    private final Provider.Registry providers;
    private final EngineConfig config;
    private final Clock clock;
    private final TaskMetrics metrics;
    private final String apiDomain;
    private final Scheduling scheduling;
    private final JdbcCustomization jdbcCustomization;
    private final WakeupSignal wakeups;
    private final ObjectMapper mapper;
    private final CustomTask<Void> task;

    TaskEngine(
            TaskStore store,
            QuotaLedger ledger,
            Provider.Registry providers,
            EngineConfig config,
            Clock clock,
            TaskMetrics metrics,
            String apiDomain,
            Scheduling scheduling,
            JdbcCustomization jdbcCustomization,
            WakeupSignal wakeups,
            ObjectMapper mapper) {
        this.store = store;
        this.ledger = ledger;
        this.providers = providers;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.apiDomain = apiDomain.endsWith("/") ? apiDomain.substring(0, apiDomain.length() - 1) : apiDomain;
        this.scheduling = scheduling;
        this.jdbcCustomization = jdbcCustomization;
        this.wakeups = wakeups;
        this.mapper = mapper;
        this.task = Tasks.custom(TASK_NAME, Void.class)
                .onFailure(new Backoff(config))
                .onDeadExecutionRevive()
                .execute((instance, context) -> completion(run(instance.getId())));
    }

    /** The db-scheduler task, added to the platform's scheduler before it starts. */
    com.github.kagkarlsson.scheduler.task.Task<Void> schedulerTask() {
        return task;
    }

    /** Listens for wake-ups from other instances (and this one); call once. */
    WakeupSignal.Subscription listen() {
        return wakeups.subscribe(WAKE_TOPIC, this::checkNow);
    }

    /**
     * Writes the task's first execution (due at {@code at}) in the caller's transaction: db-scheduler's client on a
     * DataSource bound to that transaction's connection.
     */
    void schedule(Jdbc.Handle h, String taskId, Instant at) {
        SchedulerClient client = SchedulerClient.Builder.create(
                        new BoundDataSource(h.connection()),
                        List.<com.github.kagkarlsson.scheduler.task.Task<?>>of(task))
                .jdbcCustomization(jdbcCustomization)
                .build();
        if (!client.scheduleIfNotExists(task.instance(taskId), at)) {
            throw new IllegalStateException("task " + taskId + " already has an execution");
        }
    }

    /** After a commit that made work due: every instance looks for due executions now instead of at its next poll. */
    void wakeAll() {
        wakeups.signal(WAKE_TOPIC);
    }

    private void checkNow() {
        try {
            if (scheduling.client() instanceof Scheduler s) {
                s.triggerCheckForDueExecutions();
            }
        } catch (IllegalStateException notRunning) {
            // not started yet or stopping: the next poll finds the work
        }
    }

    /** Moves the task's execution to now (a webhook or callback said the work may have moved on). */
    private void wake(String taskId) {
        try {
            scheduling.client().reschedule(TaskInstanceId.of(TASK_NAME, taskId), clock.instant());
        } catch (TaskInstanceCurrentlyExecutingException e) {
            // a step is running now; it reschedules itself when done
        } catch (TaskInstanceNotFoundException e) {
            // finished meanwhile
        } catch (TaskInstanceException e) {
            // a concurrent wake-up or pick changed the execution first (its version): it is due or running anyway
        } catch (IllegalStateException notRunning) {
            // the scheduler is not running here; another instance's poll finds the execution
        }
        wakeAll();
    }

    private static CompletionHandler<Void> completion(Optional<Instant> next) {
        return next.<CompletionHandler<Void>>map(at -> (complete, ops) -> ops.reschedule(complete, at))
                .orElseGet(CompletionHandler.OnCompleteRemove::new);
    }

    /** One step of task {@code taskId}; the time of the next, or empty when the task is finished. */
    Optional<Instant> run(String taskId) {
        Optional<Task> found = store.byId(taskId);
        if (found.isEmpty() || found.get().status().finished()) {
            return Optional.empty();
        }
        Task t = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(t.deadlineAt())) {
            fail(t, null, "timed out: not done within " + format(config.deadline(t.type())));
            return Optional.empty();
        }
        Provider provider = providers.forType(t.type());
        long started = System.nanoTime();
        String result = "ok";
        try {
            return switch (t.step()) {
                case SUBMIT -> submit(t, provider);
                case POLL -> poll(t, provider);
                case FETCH -> fetch(t, provider);
                case FINISHED -> Optional.empty();
            };
        } catch (ProviderException e) {
            result = e.isTransient() ? "transient" : "failed";
            // submit moved the index when it claimed the step; the other steps fail only if still where they were
            Integer index = t.step() == Step.SUBMIT ? null : t.stepIndex();
            if (!e.isTransient()) {
                fail(t, index, e.getMessage());
                return Optional.empty();
            }
            int attempts = store.attempted(t.id(), clock.instant());
            if (attempts >= config.maxAttempts()) {
                fail(t, index, "gave up after " + attempts + " attempts: " + e.getMessage());
                return Optional.empty();
            }
            Duration wait = config.backoff(attempts);
            LOG.info(
                    "task {} {} failed ({} attempt(s)), retrying in {}: {}",
                    t.id(),
                    t.step().id(),
                    attempts,
                    format(wait),
                    e.getMessage());
            return Optional.of(bounded(t, clock.instant().plus(wait)));
        } finally {
            metrics.step(t.type(), t.step(), Duration.ofNanos(System.nanoTime() - started), result);
        }
    }

    private Optional<Instant> submit(Task t, Provider provider) {
        Instant now = clock.instant();
        store.started(t.id(), now);
        // the webhook secret: its hash is stored (and the step claimed) before the vendor ever sees the URL
        String token = Secrets.randomToken(24);
        int claimed = t.stepIndex() + 1;
        // a claim older than the longest call (plus a margin) is a dead run's: its call was cut off long ago
        Instant staleBefore = now.minus(config.stepTimeout()).minus(CLAIM_MARGIN);
        if (!store.claimSubmit(t.id(), t.stepIndex(), Secrets.sha256Hex(token), now, staleBefore)) {
            // another run's call is in flight (or the row moved on): look again after it had time to answer
            boolean moved = store.byId(t.id())
                    .map(row -> row.step() != Step.SUBMIT || row.status().finished())
                    .orElse(true);
            return Optional.of(moved ? now : bounded(t, now.plus(config.pollInterval())));
        }
        Provider.Job job = job(t, claimed + 1, webhookUrl(t.id(), token));
        String vendorTaskId;
        try {
            vendorTaskId = call(t, () -> provider.submit(job));
        } catch (ProviderException e) {
            store.releaseSubmit(t.id(), claimed, clock.instant()); // the call is over: a retry may submit again
            throw e;
        }
        if (vendorTaskId == null || vendorTaskId.isBlank() || vendorTaskId.length() > 128) {
            throw ProviderException.permanent("the provider returned no usable task id");
        }
        boolean moved = store.jdbc()
                .inTransaction(h ->
                        store.advance(h, t.id(), Step.SUBMIT, claimed, Step.POLL, vendorTaskId, null, clock.instant()));
        if (!moved) {
            LOG.warn("task {}: submitted as {} but the row had moved on", t.id(), vendorTaskId);
        }
        return Optional.of(clock.instant());
    }

    private Optional<Instant> poll(Task t, Provider provider) {
        Provider.Job job = job(t, t.stepIndex(), null);
        Provider.Progress progress = call(t, () -> provider.poll(job, t.vendorTaskId()));
        return switch (progress) {
            case Provider.Progress.Running r ->
                Optional.of(bounded(t, clock.instant().plus(config.pollInterval())));
            case Provider.Progress.Failed f -> {
                fail(t, t.stepIndex(), f.reason());
                yield Optional.empty();
            }
            case Provider.Progress.Done d -> {
                String outputs = json(d.outputs() == null ? NullNode.getInstance() : d.outputs());
                store.jdbc()
                        .inTransaction(h -> store.advance(
                                h, t.id(), Step.POLL, t.stepIndex(), Step.FETCH, null, outputs, clock.instant()));
                yield Optional.of(clock.instant());
            }
        };
    }

    private Optional<Instant> fetch(Task t, Provider provider) {
        JsonNode outputs = readOutputs(t.engineState());
        Provider.Job job = job(t, t.stepIndex(), null);
        List<String> keys = call(t, () -> provider.fetch(job, t.vendorTaskId(), outputs));
        if (keys == null || keys.isEmpty()) {
            throw ProviderException.permanent("the provider produced no results");
        }
        boolean done = store.jdbc()
                .inTransaction(h -> store.succeeded(h, t.id(), t.stepIndex(), List.copyOf(keys), clock.instant()));
        if (done) {
            metrics.finished(t.type(), TaskStatus.SUCCEEDED);
            LOG.info("task {} ({}) succeeded: {} result(s)", t.id(), t.type().id(), keys.size());
            return Optional.empty();
        }
        return Optional.of(clock.instant()); // moved on meanwhile (failed by a deadline elsewhere): look again
    }

    /**
     * Ends the task failed and refunds it, in one transaction; false when it had already finished (a racing step,
     * callback or deadline ended it first, and refunded it then). {@code index} null: whatever step it is at.
     */
    boolean fail(Task t, Integer index, String reason) {
        Instant now = clock.instant();
        boolean ended = store.jdbc().inTransaction(h -> {
            if (!store.failed(h, t.id(), index, reason, now)) {
                return false;
            }
            if (t.quotaCost() > 0) {
                ledger.refund(h, t.userId(), t.id());
            }
            return true;
        });
        if (ended) {
            metrics.finished(t.type(), TaskStatus.FAILED);
            if (t.quotaCost() > 0) {
                metrics.refunded(t.type());
            }
            LOG.info(
                    "task {} ({}) failed, {} quota refunded: {}",
                    t.id(),
                    t.type().id(),
                    t.quotaCost(),
                    reason);
        }
        return ended;
    }

    @Override
    public Result stepFinished(String taskId, int stepIndex, boolean completed, JsonNode output, String errorMessage) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            return Result.NOT_FOUND;
        }
        Optional<Task> found = store.byId(taskId);
        if (found.isEmpty()) {
            return Result.NOT_FOUND;
        }
        Task t = found.get();
        if (t.status().finished() || stepIndex < t.stepIndex()) {
            return Result.ALREADY_FINISHED;
        }
        if (stepIndex > t.stepIndex() || t.step() != Step.POLL) {
            return Result.NOT_FOUND; // no such step (yet): only a step waiting on its worker takes a callback
        }
        boolean applied;
        if (completed) {
            String outputs = json(output == null ? NullNode.getInstance() : output);
            applied = store.jdbc()
                    .inTransaction(h ->
                            store.advance(h, t.id(), Step.POLL, stepIndex, Step.FETCH, null, outputs, clock.instant()));
        } else {
            applied = fail(
                    t, stepIndex, errorMessage == null || errorMessage.isBlank() ? "the worker failed" : errorMessage);
        }
        if (!applied) {
            return Result.ALREADY_FINISHED;
        }
        wake(taskId);
        return Result.APPLIED;
    }

    @Override
    public boolean hint(String taskId, String token) {
        if (taskId == null || token == null || !TASK_ID.matcher(taskId).matches() || token.length() > 256) {
            return false;
        }
        Optional<Task> found = store.byId(taskId);
        if (found.isEmpty() || found.get().webhookTokenHash() == null) {
            return false;
        }
        if (!Secrets.constantTimeEquals(Secrets.sha256Hex(token), found.get().webhookTokenHash())) {
            return false;
        }
        if (!found.get().status().finished()) {
            wake(taskId); // the next poll confirms through the provider; the webhook's body is not trusted
        }
        return true;
    }

    private Provider.Job job(Task t, int pollStepIndex, URI webhookUrl) {
        return new Provider.Job(
                t.id(), t.userId(), t.type(), t.inputKey(), t.params(), t.outputPrefix(), webhookUrl, pollStepIndex);
    }

    private URI webhookUrl(String taskId, String token) {
        return URI.create(apiDomain + "/api/callbacks/runninghub/" + taskId + "?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** The next run, never after the deadline (where the task fails). */
    private static Instant bounded(Task t, Instant next) {
        return next.isAfter(t.deadlineAt()) ? t.deadlineAt() : next;
    }

    /**
     * Runs one provider call on its own virtual thread, for at most the step timeout and never past the deadline: a
     * call that does not return in time is interrupted and counts as a transient failure.
     */
    private <T> T call(Task t, Supplier<T> work) {
        Duration left = Duration.between(clock.instant(), t.deadlineAt());
        Duration limit = left.compareTo(config.stepTimeout()) < 0 ? left : config.stepTimeout();
        if (limit.isNegative() || limit.isZero()) {
            limit = Duration.ofMillis(1);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("task-" + t.id()).start(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw ProviderException.transientFailure(t.step().id() + " took longer than " + format(limit));
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw ProviderException.transientFailure(t.step().id() + " interrupted (instance stopping)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProviderException p) {
                throw p;
            }
            if (cause instanceof ImagingException i) {
                throw ProviderException.permanent(i.getMessage(), i);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            // a bug or an unexpected failure (storage, network): retried like a transient one, up to the attempts
            LOG.warn("task {} {}: unexpected provider failure", t.id(), t.step().id(), cause);
            throw ProviderException.transientFailure(
                    t.step().id() + " failed (" + cause.getClass().getSimpleName() + ")", cause);
        }
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write outputs", e);
        }
    }

    private JsonNode readOutputs(String state) {
        if (state == null) {
            return NullNode.getInstance();
        }
        try {
            return mapper.readTree(state);
        } catch (JsonProcessingException e) {
            throw ProviderException.permanent("the recorded outputs are unreadable", e);
        }
    }

    static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A run that threw (the database unreachable, a bug of ours): db-scheduler keeps the execution and runs it again
     * after a back-off. The deadline check at the start of every run still ends the task in time.
     */
    private record Backoff(EngineConfig config) implements FailureHandler<Void> {
        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
            int failures = complete.getExecution().consecutiveFailures + 1;
            Instant next = complete.getTimeDone().plus(config.backoff(failures));
            LOG.warn(
                    "task step {} failed ({} time(s) in a row); next run at {}",
                    complete.getExecution().taskInstance.getId(),
                    failures,
                    next,
                    complete.getCause().orElse(null));
            operations.reschedule(complete, next);
        }
    }
}
