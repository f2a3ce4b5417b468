package com.aiphoto.server.tasks;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.core.storage.CosObjectStorage;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.Platform;
import com.aiphoto.server.admin.ProviderCredentials;
import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.media.MediaFiles;
import com.aiphoto.server.tasks.cos.CosImageProcessor;
import com.aiphoto.server.tasks.imaging.BasicCleanImages;
import com.aiphoto.server.tasks.imaging.PoseImages;
import com.aiphoto.server.tasks.runninghub.RunningHubClient;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.HttpRules;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds tasks from the platform: the store, the engine (its db-scheduler task added to the platform's scheduler,
 * its wake-up subscription), the providers the configuration chooses, and the {@code /api/task} routes. The engine
 * is also what the worker callbacks and RunningHub webhooks call ({@link #engine()}).
 */
public final class TasksModule {
    /** How the server builds this module; tests supply their own providers. */
    @FunctionalInterface
    public interface Factory {
        TasksModule create(Platform p, Authenticator auth, MediaFiles media, ProviderCredentials credentials);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TasksModule.class);

    private final TaskService service;
    private final TaskEngine engine;
    private final TaskStore store;

    private TasksModule(TaskService service, TaskEngine engine, TaskStore store) {
        this.service = service;
        this.engine = engine;
        this.store = store;
    }

    /**
     * The production wiring: providers chosen by the storage and the RunningHub settings; RunningHub's key and
     * endpoint read per call through {@code credentials} (a stored row, else the environment's).
     */
    public static TasksModule create(
            Platform p, Authenticator auth, MediaFiles media, ProviderCredentials credentials) {
        return create(p, auth, media, providers(p.settings(), media.storage(), credentials));
    }

    /** Tests: the engine drives {@code providers}. */
    static TasksModule create(Platform p, Authenticator auth, MediaFiles media, Provider.Registry providers) {
        Settings s = p.settings();
        EngineConfig config = EngineConfig.from(s);
        TaskStore store = new TaskStore(p.database().jdbc(), p.json().mapper());
        QuotaLedger ledger = new QuotaLedger(p.database().jdbc(), p.clock(), p.kv().accountChanges());
        TaskMetrics metrics = new TaskMetrics(Services.get(MeterRegistry.class), store::unfinished);
        TaskEngine engine = new TaskEngine(
                store,
                ledger,
                providers,
                config,
                p.clock(),
                metrics,
                s.get("API_DOMAIN"),
                p.scheduling(),
                jdbcCustomization(p),
                p.kv().wakeupSignal(),
                p.json().mapper());
        p.scheduling().add(engine.schedulerTask());
        engine.listen();
        InputUrls urls = new InputUrls(media::readUrl, s.find("COS_IMAGE_DOMAIN"));
        TaskCreation creation = new TaskCreation(store, ledger, engine, media, urls, config, p.clock(), metrics);
        return new TasksModule(new TaskService(p.json(), auth, creation, store, media), engine, store);
    }

    /** The same JDBC dialect the platform's scheduler uses (timestamps in UTC; H2 has no autodetected one). */
    private static JdbcCustomization jdbcCustomization(Platform p) {
        if (p.database().settings().embedded()) {
            return new DefaultJdbcCustomization(true);
        }
        return new AutodetectJdbcCustomization(p.database().dataSource(), true);
    }

    /**
     * basic_clean: Tencent Cloud image processing on COS, our own image processing on local storage. model_pose12:
     * RunningHub when RUNNINGHUB_API_KEY is set or a key is stored (its settings validated: a key without
     * RUNNINGHUB_WEBAPP_ID stops the start), else the local engine. Which of the two is decided at start: a task's
     * vendor id only means something to the provider that made it.
     */
    static Provider.Registry providers(Settings s, Storage storage, ProviderCredentials credentials) {
        Provider basicClean = storage instanceof CosObjectStorage cos
                ? new CosBasicClean(new CosImageProcessor(cos))
                : LocalImages.basicClean(storage, new BasicCleanImages());
        // the database is asked only when the environment has no key (a start with the database down then waits
        // for one connect timeout)
        boolean stored = s.find("RUNNINGHUB_API_KEY").isEmpty()
                && credentials.hasStored(ProviderCredentials.Provider.RUNNINGHUB);
        Optional<RunningHubClient.Config> runningHub = RunningHubClient.Config.from(s, stored);
        Provider pose;
        if (runningHub.isPresent()) {
            RunningHubClient.Config env = runningHub.get();
            pose = new RunningHubPose(storage, new RunningHubClient(credentials.runningHub(env)));
            LOG.info(
                    "model_pose12 on RunningHub ({})",
                    stored ? "stored credentials" : env.baseUrl().toString());
        } else {
            pose = LocalImages.pose(storage, new PoseImages());
            LOG.info("RUNNINGHUB_API_KEY not set and none stored: model_pose12 runs on the local engine");
        }
        return type -> switch (type) {
            case BASIC_CLEAN -> basicClean;
            case MODEL_POSE12 -> pose;
        };
    }

    /** Registers {@code /api/task}. */
    public void register(HttpRules rules) {
        rules.register("/api/task", service);
    }

    /** What worker callbacks and RunningHub webhooks call. */
    public TaskEngine engine() {
        return engine;
    }

    TaskStore store() {
        return store;
    }
}
