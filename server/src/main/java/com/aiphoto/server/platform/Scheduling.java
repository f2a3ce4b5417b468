package com.aiphoto.server.platform;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.Secrets;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.OnStartup;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one job scheduler: db-scheduler on the server's DataSource and our {@code scheduled_tasks} table
 * (created by a migration). Each recurring job runs once per period across all instances sharing the database,
 * and a job whose instance died is taken over after the missed heartbeats: the library's tested guarantees, not
 * ours. Features add their jobs while the routing is built ({@link #recurring}, {@link #add}); the server starts
 * the scheduler once it listens and stops it before the pools close.
 *
 * <p>Tuned away from db-scheduler's defaults: dead executions are detected after minutes, not 30 minutes
 * (heartbeat x missed heartbeats); stopping waits seconds for running jobs, not 30 minutes; timestamps are
 * written in UTC whatever the JVM's zone.
 */
public final class Scheduling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduling.class);
    /** A recurring job failing n times in a row waits period x 2^n before its next run, at most this many periods. */
    static final int MAX_BACKOFF_PERIODS = 16;

    /** A recurring job's body; throwing counts as a failure and backs the job off. */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    /** The scheduler's tuning (see application.yaml). */
    public record Config(
            Duration pollInterval, Duration heartbeat, int missedHeartbeats, Duration shutdownWait, int threads) {
        public static Config from(Settings s) {
            return new Config(
                    s.duration("SCHEDULER_POLL_INTERVAL"),
                    s.duration("SCHEDULER_HEARTBEAT"),
                    s.integer("SCHEDULER_MISSED_HEARTBEATS"),
                    s.duration("SCHEDULER_SHUTDOWN_WAIT"),
                    s.integer("SCHEDULER_THREADS"));
        }
    }

    private final DataSource dataSource;
    private final Config config;
    private final String name;
    private final Map<String, Task<?>> tasks = new LinkedHashMap<>();
    private final Map<String, RecurringTask<?>> startTasks = new LinkedHashMap<>();
    private Scheduler scheduler;
    private boolean closed;

    private final boolean h2;

    /** {@code h2}: the embedded default, which db-scheduler does not recognise (it would warn on every start). */
    public Scheduling(DataSource dataSource, Config config, boolean h2) {
        this.dataSource = dataSource;
        this.config = config;
        this.h2 = h2;
        this.name = instanceName();
    }

    /**
     * Adds a job that runs every {@code period} (measured from the end of the previous run) on one instance of
     * the cluster. A failure (the job throws) is logged and the next run waits longer: period x 2^failures in a row, at
     * most {@link #MAX_BACKOFF_PERIODS} periods; the first success returns to the period.
     */
    public synchronized void recurring(String taskName, Duration period, Job job) {
        requireNotStarted();
        RecurringTask<Void> task = Tasks.recurring(taskName, FixedDelay.of(period))
                .onFailure(backoff(period))
                .execute((instance, context) -> {
                    long started = System.nanoTime();
                    try {
                        job.run();
                        // one line per run, on the instance that ran it: how an operator (and ScaleOutIT) sees
                        // that a job ran once per period across the cluster; db-scheduler keeps no run history
                        LOG.info(
                                "job {} ran on {} in {} ms", taskName, name, (System.nanoTime() - started) / 1_000_000);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(taskName + " failed", e);
                    }
                });
        startTasks.put(taskName, task);
    }

    /** Adds a task that is scheduled through {@link #client()} (one-time work, such as the next issue's task engine). */
    public synchronized void add(Task<?> task) {
        requireNotStarted();
        tasks.put(task.getName(), task);
    }

    /** Starts polling; call once the server is up. Does nothing when no job was added. */
    public synchronized void start() {
        if (closed || scheduler != null) {
            return;
        }
        if (tasks.isEmpty() && startTasks.isEmpty()) {
            return;
        }
        List<Task<?>> known = new ArrayList<>(tasks.values());
        List<RecurringTask<?>> recurring = new ArrayList<>(startTasks.values());
        SchedulerBuilder builder = Scheduler.create(dataSource, known);
        if (h2) {
            builder.jdbcCustomization(new DefaultJdbcCustomization(true));
        }
        scheduler = builder.startTasks(recurringStartTasks(recurring))
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(config.threads())
                .pollingInterval(config.pollInterval())
                .heartbeatInterval(config.heartbeat())
                .missedHeartbeatsLimit(config.missedHeartbeats())
                .shutdownMaxWait(config.shutdownWait())
                .alwaysPersistTimestampInUTC()
                .enableImmediateExecution()
                .build();
        scheduler.start();
        LOG.info(
                "scheduler {} started: {} job(s), polling every {}",
                name,
                startTasks.size() + tasks.size(),
                config.pollInterval());
    }

    /** For scheduling one-time work; only after {@link #start}. */
    public synchronized SchedulerClient client() {
        if (scheduler == null) {
            throw new IllegalStateException("the scheduler is not running");
        }
        return scheduler;
    }

    /** This instance's name in {@code scheduled_tasks.picked_by}. */
    public String name() {
        return name;
    }

    /** Stops polling and waits up to SCHEDULER_SHUTDOWN_WAIT for running jobs. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
        }
    }

    private void requireNotStarted() {
        if (scheduler != null || closed) {
            throw new IllegalStateException("jobs are added before the scheduler starts");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends Task<?> & OnStartup> List<T> recurringStartTasks(List<RecurringTask<?>> recurring) {
        return (List) recurring;
    }

    static <T> FailureHandler<T> backoff(Duration period) {
        return (ExecutionComplete complete, ExecutionOperations<T> operations) -> {
            int failures = Math.min(complete.getExecution().consecutiveFailures, 30);
            Duration wait = period.multipliedBy(Math.min(1L << (failures + 1), MAX_BACKOFF_PERIODS));
            Instant next = complete.getTimeDone().plus(wait);
            LOG.warn(
                    "job {} failed ({} time(s) in a row); next run at {}",
                    complete.getExecution().taskInstance.getTaskName(),
                    failures + 1,
                    next);
            operations.reschedule(complete, next);
        };
    }

    /** host-random: picked_by is at most 50 characters, and instances in one JVM (tests) stay apart. */
    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        return host + "-" + Secrets.randomHex(3);
    }
}
