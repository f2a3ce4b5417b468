package com.aiphoto.server;

import com.aiphoto.server.admin.AdminModule;
import com.aiphoto.server.auth.AuthModule;
import com.aiphoto.server.callbacks.CallbacksModule;
import com.aiphoto.server.health.HealthService;
import com.aiphoto.server.media.MediaModule;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.platform.ErrorMapping;
import com.aiphoto.server.platform.OpenApiUi;
import com.aiphoto.server.tasks.TasksModule;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;

/**
 * The table of contents of the public API: each service is registered under its prefix here and declares
 * paths relative to it. Old Node clients depend on these paths; {@code routes.golden} in the tests lists every
 * one, so a change to the public surface is always a visible diff. Tests build their routing through here too.
 */
public final class ApiRouting {
    private ApiRouting() {}

    public static void routing(HttpRouting.Builder routing, Platform p) {
        routing(routing, p, PaymentsModule::create);
    }

    /** {@code payments} builds the payments feature (tests give it a WeChat Pay double). */
    public static void routing(HttpRouting.Builder routing, Platform p, PaymentsModule.Factory payments) {
        routing(routing, p, payments, TasksModule::create);
    }

    /** {@code tasks} builds the task engine and its routes (tests give it scripted providers). */
    public static void routing(
            HttpRouting.Builder routing, Platform p, PaymentsModule.Factory payments, TasksModule.Factory tasks) {
        AuthModule auth = AuthModule.create(p);
        MediaModule media = MediaModule.create(p, auth.authenticator());
        // before the features whose provider clients read stored credentials (admin.providerCredentials())
        AdminModule admin = AdminModule.create(p, auth.authenticator());
        routing.addFilter(p.requestFilter()).addFilter(auth.authenticator());
        new ErrorMapping(p.routes()).register(routing);
        HttpRules rules = p.routes().rules(routing);
        rules.register("/health", new HealthService(p.settings().appEnv().id(), p.clock()))
                .register("/api/auth", auth.service())
                .register("/api/media", media.api());
        payments.create(p, auth.authenticator(), admin.providerCredentials()).register(rules);
        TasksModule taskModule = tasks.create(p, auth.authenticator(), media.files(), admin.providerCredentials());
        taskModule.register(rules);
        // our workers' signed step callbacks and RunningHub's webhooks both end in the task engine
        CallbacksModule.create(p, taskModule.engine(), taskModule.engine()).register(rules);
        admin.register(rules);
        // local storage's signed file URLs: opaque URLs the server mints (keys span path segments, which OpenAPI
        // cannot template), served only without COS, so outside the route catalog and the OpenAPI document
        media.localFiles().ifPresent(files -> routing.register("/files", files));
        if (!p.settings().isProduction()) {
            routing.register(OpenApiUi.PATH, new OpenApiUi()); // a browser view of /openapi; not public API
        }
    }
}
