package com.aiphoto.core.db;

import com.aiphoto.core.db.MigrationHistory.Run;
import com.aiphoto.core.db.MigrationStatus.Failure;
import com.aiphoto.core.db.MigrationStatus.Row;
import com.aiphoto.core.db.MigrationStep.Direction;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The migration engine the server (development auto-migrate) and opsctl share, so both record the same
 * history. Flyway (community) finds and checks the up scripts ({@code migrations/up}, bundled as
 * {@code classpath:db/migration}) and owns {@code flyway_schema_history}; this class runs them itself, one
 * statement at a time, because MySQL commits each DDL statement on its own: progress is recorded per statement,
 * so after a failure or a killed process the history says exactly which statement of which migration stopped,
 * and a rollback or a re-run continues from there. Each migrate is a batch; rollback runs the down scripts
 * ({@code migrations/down}, Flyway community has no undo) of the last batch, newest first, and records that too.
 * A named database lock keeps migrators on several hosts apart ({@link MigrationLock}).
 */
public final class Migrations {
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private final DataSource dataSource;
    private final MigrationScripts scripts;
    private final Flyway flyway;
    private final MigrationHistory history;
    private final Clock clock;

    public Migrations(DataSource dataSource, String... locations) {
        this(dataSource, MigrationScripts.at(location(locations)), Clock.systemUTC());
    }

    public Migrations(DataSource dataSource, MigrationScripts scripts, Clock clock) {
        this.dataSource = dataSource;
        this.scripts = scripts;
        this.clock = clock;
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(scripts.upLocation())
                .cleanDisabled(true)
                .failOnMissingLocations(false)
                .validateMigrationNaming(true)
                // we execute the text as written; Flyway must checksum and we must run the same thing
                .placeholderReplacement(false)
                .loggers("slf4j")
                .load();
        this.history = new MigrationHistory(flyway, clock);
    }

    private static String location(String... locations) {
        if (locations.length > 1) {
            throw new IllegalArgumentException("one migrations location, got " + Arrays.toString(locations));
        }
        return locations.length == 0 ? DEFAULT_LOCATION : locations[0];
    }

    /** "opsctl db migrate (deploy@web1, pid 4242)": recorded in the history and shown to whoever waits. */
    public static String actor(String program) {
        return program + " (" + System.getProperty("user.name") + "@" + hostname() + ", pid "
                + ProcessHandle.current().pid() + ")";
    }

    public MigrationScripts scripts() {
        return scripts;
    }

    public Flyway flyway() {
        return flyway;
    }

    /** Migrations in the files that the database has not applied yet, oldest first. */
    public List<MigrationInfo> pending() {
        return Arrays.asList(flyway.info().pending());
    }

    /** The applied schema version, or "none". */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null
                ? "none"
                : current.getVersion().getVersion();
    }

    /** Applies every pending migration as one batch: the server's auto-migrate outside production. */
    public MigrateResult migrate() {
        MigrationBatch b = migrate(MigrateRequest.of(actor("ai-photo-api")), MigrationListener.NONE);
        MigrateResult r = new MigrateResult();
        r.migrationsExecuted = b.results().size();
        r.initialSchemaVersion = b.fromVersion();
        r.targetSchemaVersion = b.toVersion();
        r.success = true;
        r.migrations = new ArrayList<>();
        r.warnings = new ArrayList<>();
        return r;
    }

    /** What {@link #migrate(MigrateRequest, MigrationListener)} would run now (for --dry-run; takes no lock). */
    public MigrationPlan planMigrate(Optional<String> target) {
        return withConnection(c -> planMigrate(entries(c), target));
    }

    public MigrationBatch migrate(MigrateRequest request, MigrationListener listener) {
        return locked(request.actor(), request.lockWait(), listener, (c, dialect, lock) -> {
            MigrationPlan plan = planMigrate(entries(c), request.target());
            plan.warnings().forEach(listener::warning);
            if (plan.isEmpty()) {
                return new MigrationBatch(0, plan.currentVersion(), plan.currentVersion(), List.of(), null);
            }
            String backup = request.beforeApply().apply(plan).orElse(null);
            return run(c, dialect, lock, "migrate", request.actor(), backup, plan, listener);
        });
    }

    public MigrationPlan planRollback(RollbackRequest request) {
        return withConnection(c -> planRollback(c, entries(c), request));
    }

    public MigrationBatch rollback(RollbackRequest request, MigrationListener listener) {
        return locked(request.actor(), request.lockWait(), listener, (c, dialect, lock) -> {
            MigrationPlan plan = planRollback(c, entries(c), request);
            if (plan.isEmpty()) {
                return new MigrationBatch(0, plan.currentVersion(), plan.currentVersion(), List.of(), null);
            }
            String backup = request.beforeApply().apply(plan).orElse(null);
            return run(c, dialect, lock, "rollback", request.actor(), backup, plan, listener);
        });
    }

    /** An applied migration whose file changed in comments or blank space only: its checksum to realign. */
    public record ChecksumRepair(String version, String script, Integer appliedChecksum, Integer fileChecksum) {}

    /** What {@link #repair} would realign (takes no lock); refuses when a mismatch is more than comments. */
    public List<ChecksumRepair> planRepair() {
        return withConnection(c -> planRepair(entries(c)));
    }

    /**
     * Flyway's repair, narrowed: realigns the recorded checksum of each applied migration whose file changed
     * after it was applied, but only when its statements are exactly those that ran (the digest recorded when
     * the run completed), i.e. only comments or blank space between statements changed. Recorded as a batch.
     *
     * @throws MigrationRefusedException naming each mismatch that changed a statement, or that no run of ours
     *                                   recorded; nothing is repaired then
     */
    public List<ChecksumRepair> repair(String actor, Duration wait, MigrationListener listener) {
        return locked(actor, wait, listener, (c, dialect, lock) -> {
            List<ChecksumRepair> repairs = planRepair(entries(c));
            if (!repairs.isEmpty()) {
                long batch = history.startBatch(c, "repair", actor, null);
                for (ChecksumRepair r : repairs) {
                    history.realignChecksum(c, r.version(), r.fileChecksum());
                }
                history.finishBatch(c, batch, "succeeded");
            }
            return repairs;
        });
    }

    private List<ChecksumRepair> planRepair(List<Entry> entries) {
        List<ChecksumRepair> repairs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Entry e : entries) {
            if (!MigrationStatus.CHECKSUM_MISMATCH.equals(row(e, false).state())) {
                continue;
            }
            SqlScript sql = parse(e.script(), scripts.up(e.script()));
            Run up = e.lastUp();
            if (up == null || !MigrationHistory.DONE.equals(up.state())) {
                refused.add(e.script() + " was applied by another tool, so which statements ran is not recorded");
            } else if (up.total() != sql.size() || !sql.digest(sql.size()).equals(up.doneDigest())) {
                refused.add(e.script() + " has statements that differ from those applied, not only comments or"
                        + " blank space: restore the file and put the change in a new migration");
            } else {
                repairs.add(new ChecksumRepair(
                        e.version().getVersion(),
                        e.script(),
                        e.info().getAppliedChecksum(),
                        e.info().getResolvedChecksum()));
            }
        }
        if (!refused.isEmpty()) {
            throw new MigrationRefusedException("nothing repaired: " + String.join("; ", refused));
        }
        return List.copyOf(repairs);
    }

    public MigrationStatus status() {
        return withConnection(c -> {
            String holder = Dialect.of(c) == Dialect.MYSQL
                    ? MigrationLock.holder(c)
                            .map(MigrationLock.Holder::describe)
                            .orElse(null)
                    : null;
            List<Row> rows =
                    entries(c).stream().map(e -> row(e, holder != null)).toList();
            return new MigrationStatus(currentVersion(), holder, rows);
        });
    }

    // ---- state ----

    /** One version as Flyway sees it (files and applied rows) and as our runs recorded it. */
    private record Entry(MigrationVersion version, MigrationInfo info, Run lastRun, Run lastUp) {
        String script() {
            return info != null && info.getScript() != null ? info.getScript() : lastRun.script();
        }

        String description() {
            return info != null ? info.getDescription() : lastRun.description();
        }

        /** Completely applied, as far as Flyway's table says (ours keeps it so). */
        boolean applied() {
            return info != null
                    && info.getState().isApplied()
                    && !info.getState().isFailed();
        }

        /** The last run did not finish: a failed or killed up (partly applied) or down (partly undone). */
        boolean unfinished() {
            return lastRun != null && !MigrationHistory.DONE.equals(lastRun.state());
        }

        boolean undoing() {
            return unfinished() && !lastRun.up();
        }

        /** Something of it is in the schema: rollback candidates. */
        boolean present() {
            return applied() || unfinished();
        }
    }

    private List<Entry> entries(Connection c) throws SQLException {
        Map<MigrationVersion, MigrationInfo> infos = new HashMap<>();
        for (MigrationInfo i : flyway.info().all()) {
            if (i.getVersion() != null
                    && i.getState() != MigrationState.DELETED
                    && i.getState() != MigrationState.UNDONE) {
                infos.put(i.getVersion(), i);
            }
        }
        Map<MigrationVersion, Run> lastRun = new HashMap<>();
        Map<MigrationVersion, Run> lastUp = new HashMap<>();
        for (Run r : history.runs(c)) {
            MigrationVersion v = MigrationVersion.fromVersion(r.version());
            lastRun.put(v, r);
            if (r.up()) {
                lastUp.put(v, r);
            }
        }
        TreeMap<MigrationVersion, Entry> all = new TreeMap<>();
        infos.forEach((v, info) -> all.put(v, new Entry(v, info, lastRun.get(v), lastUp.get(v))));
        lastRun.forEach((v, run) -> {
            if (!infos.containsKey(v) && !MigrationHistory.DONE.equals(run.state())) {
                all.put(v, new Entry(v, null, run, lastUp.get(v))); // left unfinished, file gone since
            }
        });
        return List.copyOf(all.values());
    }

    private Row row(Entry e, boolean lockHeld) {
        Run r = e.lastRun();
        Long batch = e.present() && e.lastUp() != null ? e.lastUp().batchId() : null;
        Instant appliedAt = e.applied() && e.info().getInstalledOn() != null
                ? e.info().getInstalledOn().toInstant()
                : null;
        Long duration = e.applied() && e.info().getExecutionTime() != null
                ? e.info().getExecutionTime().longValue()
                : null;
        String v = e.version().getVersion();
        if (e.unfinished() && MigrationHistory.RUNNING.equals(r.state()) && lockHeld) {
            String at = r.atStatement() == null
                    ? ""
                    : ", at statement " + r.atStatement() + " of " + r.total() + " (line " + r.atLine() + ")";
            return new Row(
                    v,
                    e.description(),
                    e.script(),
                    MigrationStatus.RUNNING,
                    batch,
                    appliedAt,
                    duration,
                    null,
                    e.script() + (r.up() ? "" : " (down)") + " is running" + at);
        }
        if (e.unfinished()) {
            boolean interrupted =
                    MigrationHistory.RUNNING.equals(r.state()) || MigrationHistory.INTERRUPTED.equals(r.error());
            int at = r.atStatement() != null ? r.atStatement() : r.done() + 1;
            Failure f = new Failure(
                    r.direction(),
                    at,
                    r.total(),
                    r.atLine() == null ? 0 : r.atLine(),
                    r.atSql(),
                    r.error(),
                    interrupted);
            return new Row(
                    v,
                    e.description(),
                    e.script(),
                    MigrationStatus.FAILED,
                    batch,
                    appliedAt,
                    r.durationMs(),
                    f,
                    f.describe(e.script()));
        }
        MigrationInfo i = e.info();
        String state;
        String problem = null;
        switch (i.getState()) {
            case PENDING, ABOVE_TARGET -> state = MigrationStatus.PENDING;
            case IGNORED -> {
                state = MigrationStatus.OUT_OF_ORDER;
                problem = e.script() + " is not applied but a later version is; give it a version above "
                        + currentVersionOr(i);
            }
            case MISSING_SUCCESS -> {
                state = MigrationStatus.MISSING;
                problem = e.script() + " is applied but no longer among the migration files";
            }
            case FUTURE_SUCCESS -> {
                state = MigrationStatus.FUTURE;
                problem = e.script() + " was applied by a newer build than this one";
            }
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> {
                state = MigrationStatus.FAILED;
                problem = e.script() + " is marked failed in "
                        + flyway.getConfiguration().getTable()
                        + " (not by this tool): check the schema by hand, then delete that row";
            }
            default -> {
                if (!i.isChecksumMatching()) {
                    state = MigrationStatus.CHECKSUM_MISMATCH;
                    problem = e.script() + " changed after it was applied (checksum applied " + i.getAppliedChecksum()
                            + ", file " + i.getResolvedChecksum() + ")";
                } else {
                    state = MigrationStatus.APPLIED;
                }
            }
        }
        return new Row(v, e.description(), e.script(), state, batch, appliedAt, duration, null, problem);
    }

    private String currentVersionOr(MigrationInfo i) {
        String v = currentVersion();
        return "none".equals(v) ? i.getVersion().getVersion() : v;
    }

    // ---- plans ----

    private MigrationPlan planMigrate(List<Entry> entries, Optional<String> target) {
        Optional<MigrationVersion> limit = target.map(MigrationVersion::fromVersion);
        if (limit.isPresent()
                && entries.stream()
                        .noneMatch(e -> e.version().equals(limit.get())
                                && e.info() != null
                                && e.info().getState().isResolved())) {
            throw new MigrationRefusedException("no migration with version " + target.get() + " in " + describe());
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<MigrationStep> steps = new ArrayList<>();
        for (Entry e : entries) {
            Row row = row(e, false);
            if (row.warning()) {
                warnings.add(row.problem() + "; going on (a newer build's migrations are left as they are)");
            } else if (e.undoing()) {
                problems.add(e.script() + " is partly rolled back ("
                        + row.failure().describe(e.script()) + "); finish with opsctl db rollback first");
            } else if (row.problem() != null && !e.unfinished()) {
                problems.add(row.state() + ": " + row.problem());
            }
            boolean pending = e.info() != null && e.info().getState() == MigrationState.PENDING;
            if (!pending || (limit.isPresent() && e.version().compareTo(limit.get()) > 0)) {
                continue;
            }
            SqlScript sql = parse(e.script(), scripts.up(e.script()));
            int startAt = 0;
            if (e.unfinished() && e.lastRun().up() && e.lastRun().done() > 0) {
                Run r = e.lastRun();
                if (!sql.digest(r.done()).equals(r.doneDigest())) {
                    problems.add(e.script() + " stopped at statement " + (r.done() + 1) + " last time, and its first "
                            + r.done() + " statement(s), already applied, have changed since: undo them with"
                            + " opsctl db rollback, then migrate");
                }
                startAt = Math.min(r.done(), sql.size());
            }
            steps.add(new MigrationStep(
                    e.version().getVersion(),
                    e.description(),
                    e.script(),
                    Direction.UP,
                    sql,
                    startAt,
                    false,
                    e.info().getChecksum()));
        }
        if (!problems.isEmpty()) {
            throw new MigrationRefusedException("nothing migrated: " + String.join("; ", problems));
        }
        return new MigrationPlan(currentVersion(), List.copyOf(steps), List.copyOf(warnings));
    }

    private MigrationPlan planRollback(Connection c, List<Entry> entries, RollbackRequest request) throws SQLException {
        List<Entry> present = entries.stream().filter(Entry::present).toList();
        List<Entry> chosen = switch (request.mode()) {
            case LAST_BATCH -> lastBatch(present);
            case STEPS -> present.subList(Math.max(0, present.size() - request.steps()), present.size());
            case TO -> {
                MigrationVersion to = MigrationVersion.fromVersion(request.to());
                yield present.stream()
                        .filter(e -> e.version().compareTo(to) > 0)
                        .toList();
            }
        };
        List<MigrationStep> steps = new ArrayList<>();
        List<Entry> noDown = new ArrayList<>();
        for (Entry e : chosen.reversed()) {
            Run r = e.lastRun();
            boolean nothingApplied = !e.applied() && r != null && r.up() && r.done() == 0;
            Optional<String> down = nothingApplied ? Optional.of("") : scripts.down(e.script());
            if (down.isEmpty()) {
                noDown.add(e);
                continue;
            }
            SqlScript sql = parse(e.script() + " (down)", down.get());
            if (!e.applied() && r != null && r.up() && r.done() > 0) {
                refuseUndoingDataThatNeverChanged(e, r, sql);
            }
            int startAt = 0;
            if (e.undoing() && r.done() > 0) {
                if (!sql.digest(r.done()).equals(r.doneDigest())) {
                    throw new MigrationRefusedException("nothing rolled back: the down script of " + e.script()
                            + " stopped at statement " + (r.done() + 1) + " last time, and its first " + r.done()
                            + " statement(s), already run, have changed since; restore them, or restore a backup");
                }
                startAt = Math.min(r.done(), sql.size());
            }
            steps.add(new MigrationStep(
                    e.version().getVersion(),
                    e.description(),
                    e.script(),
                    Direction.DOWN,
                    sql,
                    startAt,
                    !e.applied(),
                    null));
        }
        if (!noDown.isEmpty()) {
            throw new MigrationRefusedException("nothing rolled back: no down script for "
                    + String.join(
                            ", ",
                            noDown.stream()
                                    .map(e -> e.script() + " (expected " + scripts.describeDown(e.script()) + ")")
                                    .toList())
                    + "; to go back, restore the backup taken before it: " + backupHint(c, noDown.getFirst()));
        }
        return new MigrationPlan(currentVersion(), List.copyOf(steps));
    }

    /**
     * A migration that stopped part-way is undone with its whole down script, skipping statements whose object
     * was never created. That is safe for DDL only: a down UPDATE would undo an up UPDATE that never ran (credits
     * taken back that were never granted). There is no telling which down statement undoes which up statement,
     * so when data statements of the up script never ran and the down script has some, refuse, naming both.
     */
    private void refuseUndoingDataThatNeverChanged(Entry e, Run r, SqlScript down) {
        List<SqlScript.Statement> undoData = down.statements().stream()
                .filter(SqlScript.Statement::changesData)
                .toList();
        if (undoData.isEmpty()) {
            return;
        }
        if (e.info() == null) {
            throw new MigrationRefusedException("nothing rolled back: " + e.script() + " stopped after statement "
                    + r.done() + " and its file is gone, so whether its down script's data "
                    + statements("statement", undoData) + " undo something that ran is unknown; restore the file");
        }
        SqlScript up = parse(e.script(), scripts.up(e.script()));
        List<SqlScript.Statement> neverRan = up.statements().subList(Math.min(r.done(), up.size()), up.size()).stream()
                .filter(SqlScript.Statement::changesData)
                .toList();
        if (neverRan.isEmpty()) {
            return;
        }
        throw new MigrationRefusedException("nothing rolled back: " + e.script() + " stopped after statement "
                + r.done() + " of " + up.size() + ", so its data " + statements("statement", neverRan)
                + " never ran, but its down script would undo data changes with " + statements("statement", undoData)
                + "; undo statements 1 to " + r.done() + " by hand, or fix the script and re-run db migrate (it"
                + " continues at statement " + (r.done() + 1) + "), or restore the backup taken before it");
    }

    private static String statements(String noun, List<SqlScript.Statement> list) {
        return noun
                + (list.size() == 1 ? " " : "s ")
                + String.join(
                        ", ",
                        list.stream()
                                .map(s -> s.number() + " [" + s.excerpt(60) + "]")
                                .toList());
    }

    /** The migrations the newest batch that still has something applied applied, oldest first. */
    private static List<Entry> lastBatch(List<Entry> present) {
        Optional<Long> newest = present.stream()
                .map(Entry::lastUp)
                .filter(Objects::nonNull)
                .map(Run::batchId)
                .max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            if (!present.isEmpty()) {
                throw new MigrationRefusedException("the applied migrations were not recorded in a batch (applied"
                        + " by another tool); name what to undo with --steps N or --to VERSION");
            }
            return List.of();
        }
        return present.stream()
                .filter(e -> e.lastUp() != null && e.lastUp().batchId() == newest.get())
                .toList();
    }

    private String backupHint(Connection c, Entry e) throws SQLException {
        if (e.lastUp() != null) {
            for (MigrationHistory.Batch b : history.batches(c)) {
                if (b.id() == e.lastUp().batchId() && b.backup() != null) {
                    return "opsctl backup restore " + b.backup();
                }
            }
        }
        return "see opsctl backup list for the newest backup before " + e.script() + " was applied";
    }

    private static SqlScript parse(String script, String text) {
        try {
            return SqlScript.parse(text);
        } catch (IllegalArgumentException ex) {
            throw new MigrationRefusedException(script + ": " + ex.getMessage());
        }
    }

    private String describe() {
        return scripts.upLocation();
    }

    // ---- execution ----

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c, Dialect dialect, MigrationLock lock) throws SQLException;
    }

    @FunctionalInterface
    private interface Query<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T withConnection(Query<T> query) {
        try (Connection c = dataSource.getConnection()) {
            return query.apply(c);
        } catch (SQLException e) {
            throw new MigrationException("database error: " + Strings.oneLine(e.getMessage()), e);
        }
    }

    private <T> T locked(String actor, Duration wait, MigrationListener listener, Work<T> work) {
        return withConnection(c -> {
            Dialect dialect = Dialect.of(c);
            history.ensureTables(c);
            try (MigrationLock lock =
                    MigrationLock.acquire(dataSource, dialect, actor, wait, clock, listener::waiting)) {
                lock.awaitOrphanedStatement(wait, listener::waiting);
                history.closeInterrupted(c);
                return work.apply(c, dialect, lock);
            }
        });
    }

    private MigrationBatch run(
            Connection c,
            Dialect dialect,
            MigrationLock lock,
            String command,
            String actor,
            String backup,
            MigrationPlan plan,
            MigrationListener listener)
            throws SQLException {
        long batch = history.startBatch(c, command, actor, backup);
        List<MigrationBatch.Result> results = new ArrayList<>();
        for (MigrationStep step : plan.steps()) {
            results.add(execute(c, dialect, lock, batch, step, actor, listener));
        }
        history.finishBatch(c, batch, "succeeded");
        return new MigrationBatch(batch, plan.currentVersion(), currentVersion(), List.copyOf(results), backup);
    }

    private MigrationBatch.Result execute(
            Connection hist,
            Dialect dialect,
            MigrationLock lock,
            long batch,
            MigrationStep step,
            String actor,
            MigrationListener listener)
            throws SQLException {
        listener.stepStarted(step);
        long t0 = System.nanoTime();
        long run = history.startRun(hist, batch, step);
        List<String> skipped = new ArrayList<>();
        List<SqlScript.Statement> todo =
                step.sql().statements().subList(step.startAt(), step.sql().size());
        Connection work = dataSource.getConnection();
        // each statement commits together with the record that it ran: a statement whose client died rolls back
        // when its session ends, so its record and the data agree (DDL commits on its own: a re-run then fails
        // on it, naming it, rather than applying anything twice)
        work.setAutoCommit(false);
        try (Statement st = work.createStatement();
                SignalGuard signals = SignalGuard.install(dataSource, dialect, work)) {
            lock.holdForStatements(work);
            for (int i = 0; i < todo.size(); i++) {
                SqlScript.Statement s = todo.get(i);
                history.progress(hist, run, step, s); // also after a skipped statement
                listener.statementStarted(step, s);
                try {
                    st.execute(s.sql());
                    history.statementDone(work, run, step, s, i + 1 < todo.size() ? todo.get(i + 1) : null);
                    work.commit();
                } catch (SQLException e) {
                    work.rollback();
                    if (step.tolerant() && dialect.objectAbsent(e)) {
                        skipped.add("statement " + s.number() + " (" + Strings.oneLine(e.getMessage()) + ")");
                        continue;
                    }
                    String error = signals.stopping() ? MigrationHistory.INTERRUPTED : e.getMessage();
                    history.failRun(hist, run, step, s, error, millisSince(t0));
                    history.finishBatch(hist, batch, "failed");
                    throw new MigrationFailedException(
                            step.label() + " failed at statement " + s.number() + " of "
                                    + step.sql().size() + " (line " + s.line() + "): " + Strings.oneLine(e.getMessage())
                                    + " [" + s.excerpt(100) + "]",
                            step.script(),
                            s.number(),
                            e);
                }
            }
            lock.releaseStatements(work);
        } finally {
            discard(work);
        }
        long ms = millisSince(t0);
        history.completeRun(hist, run, step, actor, ms);
        MigrationBatch.Result result = new MigrationBatch.Result(step, ms, todo.size(), List.copyOf(skipped));
        listener.stepFinished(result);
        return result;
    }

    /** A script may change session settings (SET ...); its connection must not go back into the pool. */
    private void discard(Connection c) throws SQLException {
        if (dataSource instanceof HikariDataSource h) {
            h.evictConnection(c);
        } else {
            c.close();
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** This machine's name, for the records of who did what (migration history, audit log). */
    public static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
