package com.aiphoto.server.platform;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writes the success envelope; errors go through {@link ErrorMapping}. */
public final class Responses {
    private Responses() {}

    public static void ok(ServerResponse res, Object data) {
        res.send(new Envelope.Success<>(data));
    }

    public static void created(ServerResponse res, Object data) {
        res.status(Status.CREATED_201).send(new Envelope.Success<>(data));
    }
}
