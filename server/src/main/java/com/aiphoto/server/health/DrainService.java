package com.aiphoto.server.health;

import com.aiphoto.server.platform.Envelope;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Lifecycle;
import com.aiphoto.server.platform.RequestFilter;
import com.aiphoto.server.platform.Responses;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /observe/drain} on the admin port, for {@code opsctl upgrade}: {@code POST} starts draining (readiness
 * DOWN, {@code Connection: close}, retryable requests shed so nginx moves traffic away; see RequestFilter),
 * {@code GET} reports it with the in-flight count and the requests received so far (a drain is done when both
 * stop moving), {@code DELETE} cancels a drain that was not followed by a stop. Loopback callers only, whatever
 * ADMIN_HOST is bound to.
 */
public final class DrainService implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(DrainService.class);
    private final Lifecycle lifecycle;
    private final RequestFilter requests;

    public DrainService(Lifecycle lifecycle, RequestFilter requests) {
        this.lifecycle = lifecycle;
        this.requests = requests;
    }

    /** The state as opsctl reads it. */
    record DrainState(boolean draining, boolean stopping, int inFlight, long received) {}

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> answer(req, res, () -> {}))
                .post(
                        "/",
                        (req, res) -> answer(req, res, () -> {
                            if (lifecycle.startDraining()) {
                                LOG.info("draining: asked through the admin port");
                            }
                        }))
                .delete("/", (req, res) -> {
                    if (!loopback(req.remotePeer().address())) {
                        forbidden(res);
                    } else {
                        if (!lifecycle.cancelDraining()) {
                            res.status(Status.CONFLICT_409); // stopping: too late to take it back
                        } else {
                            LOG.info("drain cancelled through the admin port: serving");
                        }
                        Responses.ok(res, state());
                    }
                });
    }

    private void answer(ServerRequest req, ServerResponse res, Runnable action) {
        if (!loopback(req.remotePeer().address())) {
            forbidden(res);
            return;
        }
        action.run();
        Responses.ok(res, state());
    }

    private DrainState state() {
        return new DrainState(lifecycle.draining(), lifecycle.stopping(), requests.inFlight(), requests.received());
    }

    private static void forbidden(ServerResponse res) {
        res.status(Status.FORBIDDEN_403)
                .send(new Envelope.Failure(
                        ErrorCode.FORBIDDEN.code(), "the drain switch answers loopback callers only", null));
    }

    static boolean loopback(SocketAddress address) {
        return address instanceof InetSocketAddress a
                && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}
