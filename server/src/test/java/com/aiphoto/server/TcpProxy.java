package com.aiphoto.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free port for outage tests, with two outage shapes. {@link #freeze()} stops forwarding in both
 * directions while keeping every connection open and accepting new ones (a database that stops answering, the
 * case timeouts must bound), {@link #thaw()} resumes. {@link #refuse()} closes every connection and the listening
 * socket, so connects are refused (a stopped server), {@link #restore()} listens again on the same port.
 * Hand-written (about 120 lines): Toxiproxy would need its own server process.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final InetSocketAddress address;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile boolean frozen;
    private boolean refused;

    public TcpProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        listen(listener);
    }

    public int port() {
        return address.getPort();
    }

    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    /** Drops every connection and stops listening: connects are refused until {@link #restore()}. */
    public synchronized void refuse() throws IOException {
        refused = true; // a connection the closing listener still accepts is dropped too
        listener.close();
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens again on the same port after {@link #refuse()}. */
    public synchronized void restore() throws IOException {
        if (!listener.isClosed()) {
            return;
        }
        refused = false;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true); // the dropped connections' TIME_WAIT entries hold the port otherwise
        s.bind(address, 50);
        listener = s;
        listen(s);
    }

    private void listen(ServerSocket s) {
        Thread.ofVirtual().start(() -> accept(s));
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                if (!track(client, upstream)) {
                    return;
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private synchronized boolean track(Socket client, Socket upstream) {
        if (refused) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                while (frozen) {
                    Thread.sleep(10);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() throws IOException {
        listener.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
