package com.aiphoto.server.platform;

import io.helidon.common.GenericType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.MediaContext;
import io.helidon.http.media.MediaSupport;
import io.helidon.http.media.jackson.JacksonSupport;

/**
 * Helidon's Jackson support with the one mapper, except that a response is JSON whatever the request's
 * {@code Accept} says: the API has no other representation, and refusing with 415 after the handler ran would
 * have hidden side effects that already committed (a rotated refresh token). So the writer never sees
 * {@code Accept}.
 */
public final class JsonMedia implements MediaSupport {
    private final MediaSupport jackson;

    public JsonMedia(Json json) {
        this.jackson = JacksonSupport.create(json.mapper());
    }

    @Override
    public void init(MediaContext context) {
        jackson.init(context);
    }

    @Override
    public <T> ReaderResponse<T> reader(GenericType<T> type, Headers requestHeaders) {
        return jackson.reader(type, requestHeaders);
    }

    @Override
    public <T> ReaderResponse<T> reader(GenericType<T> type, Headers requestHeaders, Headers responseHeaders) {
        return jackson.reader(type, requestHeaders, responseHeaders);
    }

    @Override
    public <T> WriterResponse<T> writer(GenericType<T> type, WritableHeaders<?> requestHeaders) {
        return jackson.writer(type, requestHeaders);
    }

    @Override
    public <T> WriterResponse<T> writer(
            GenericType<T> type, Headers requestHeaders, WritableHeaders<?> responseHeaders) {
        WritableHeaders<?> anyAccepted = WritableHeaders.create(requestHeaders);
        anyAccepted.remove(HeaderNames.ACCEPT);
        WriterResponse<T> response = jackson.writer(type, anyAccepted, responseHeaders);
        if (response.support() == SupportLevel.NOT_SUPPORTED) {
            return response;
        }
        return new WriterResponse<>(response.support(), () -> new io.helidon.http.media.EntityWriter<T>() {
            @Override
            public void write(
                    GenericType<T> t,
                    T object,
                    java.io.OutputStream out,
                    Headers reqHeaders,
                    WritableHeaders<?> resHeaders) {
                response.supplier().get().write(t, object, out, anyAccepted, resHeaders);
            }

            @Override
            public void write(GenericType<T> t, T object, java.io.OutputStream out, WritableHeaders<?> headers) {
                response.supplier().get().write(t, object, out, headers);
            }
        });
    }

    @Override
    public String name() {
        return jackson.name();
    }

    @Override
    public String type() {
        return jackson.type();
    }
}
