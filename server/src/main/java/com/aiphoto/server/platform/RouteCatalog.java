package com.aiphoto.server.platform;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Remembers the method and path of every route so that a request whose path exists under another method gets
 * 405 with {@code Allow} instead of Helidon's 404. Services register through {@link #rules(HttpRules)}, which
 * records {@code get/post/put/delete/patch(path, handler)} and flattens {@code register(prefix, service)}. Every
 * GET route also answers HEAD.
 */
public final class RouteCatalog {
    private record Entry(Method method, String path, PathMatcher matcher) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public HttpRules rules(HttpRules delegate) {
        return new Recording(delegate, "");
    }

    /** Every route as {@code METHOD path}, in registration order: the public surface, for the golden-file test. */
    public List<String> describe() {
        return entries.stream().map(e -> e.method().text() + " " + e.path()).toList();
    }

    /** Methods registered for {@code path}, sorted; empty when no route has this path. */
    public Set<String> allowedMethods(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Entry e : entries) {
            if (e.matcher().match(io.helidon.common.uri.UriPath.create(path)).accepted()) {
                allowed.add(e.method().text());
            }
        }
        return allowed;
    }

    private final class Recording implements HttpRules {
        private final HttpRules delegate;
        private final String prefix;

        private Recording(HttpRules delegate, String prefix) {
            this.delegate = delegate;
            this.prefix = prefix;
        }

        @Override
        public HttpRules register(HttpService... services) {
            for (HttpService s : services) {
                s.routing(this);
            }
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            Recording nested = new Recording(delegate, join(prefix, pathPattern));
            for (HttpService s : services) {
                s.routing(nested);
            }
            return this;
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            String full = join(prefix, pathPattern);
            entries.add(new Entry(method, full, PathMatchers.create(full)));
            delegate.route(method, full, handler);
            if (Method.GET.equals(method)) {
                // HEAD wherever GET: Helidon neither adds the route nor drops the body, so run GET without one
                entries.add(new Entry(Method.HEAD, full, PathMatchers.create(full)));
                delegate.route(Method.HEAD, full, (req, res) -> {
                    res.streamFilter(NoBody::new);
                    handler.handle(req, res);
                });
            }
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            if (!prefix.isEmpty()) {
                throw new IllegalStateException("register routes under a prefix with a path pattern");
            }
            delegate.route(route);
            return this;
        }

        private static String join(String prefix, String pattern) {
            if (pattern.isEmpty() || "/".equals(pattern)) {
                return prefix.isEmpty() ? "/" : prefix;
            }
            return prefix + (pattern.startsWith("/") ? pattern : "/" + pattern);
        }
    }

    /** Swallows the entity of a HEAD answer; closing still lets Helidon finish the response. */
    private static final class NoBody extends java.io.FilterOutputStream {
        NoBody(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
