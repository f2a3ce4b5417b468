package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The request pool's gate: FIFO under saturation, bounded waits, and no permit lost on any path. */
class FairConnectionGateTest {
    /** A pool of {@code size} fake connections that are handed out and taken back; optionally failing. */
    private static final class FakePool implements DataSource {
        final BlockingQueue<Connection> free;
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger closes = new AtomicInteger();

        FakePool(int size) {
            free = new ArrayBlockingQueue<>(size);
            for (int i = 0; i < size; i++) {
                free.add(fake());
            }
        }

        private Connection fake() {
            Connection[] self = new Connection[1];
            self[0] = (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "close" -> {
                                closes.incrementAndGet();
                                free.add(self[0]);
                                return null;
                            }
                            case "isValid" -> {
                                return true;
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                    });
            return self[0];
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (failing.get()) {
                throw new SQLTransientConnectionException("database down");
            }
            Connection c = free.poll();
            if (c == null) {
                throw new AssertionError("the gate let more callers through than the pool has connections");
            }
            return c;
        }

        @Override
        public Connection getConnection(String u, String p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private static void awaitWaiting(FairConnectionGate gate, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gate.waiting() < n) {
            assertTrue(System.nanoTime() < deadline, "only " + gate.waiting() + " of " + n + " queued");
            Thread.sleep(1);
        }
    }

    @Test
    void waitersAreServedInTheOrderTheyAskedAndNewcomersDoNotBargeAhead() throws Exception {
        FakePool pool = new FakePool(1);
        FairConnectionGate gate = new FairConnectionGate(pool, 1, Duration.ofSeconds(10));
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Connection held = gate.getConnection();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (Connection c = gate.getConnection()) {
                    served.add(n);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }));
            awaitWaiting(gate, i + 1); // queued in this order
        }
        held.close();
        for (Thread t : threads) {
            t.join(5_000);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), served);
        assertEquals(1, gate.available());
        assertEquals(1, pool.free.size());
    }

    @Test
    void aCallerThatCannotGetAConnectionInTimeGetsATransientErrorAndNothingLeaks() throws Exception {
        FakePool pool = new FakePool(2);
        FairConnectionGate gate = new FairConnectionGate(pool, 2, Duration.ofMillis(200));
        Connection a = gate.getConnection();
        Connection b = gate.getConnection();
        long t0 = System.nanoTime();
        SQLException e = assertThrows(SQLTransientConnectionException.class, gate::getConnection);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 190 && waited < 2_000, waited + " ms");
        assertEquals("no database connection within 200 ms", e.getMessage());
        a.close();
        a.close(); // a second close releases nothing more
        assertEquals(1, gate.available());
        b.close();
        assertEquals(2, gate.available());
        assertEquals(2, pool.free.size());
    }

    @Test
    void aPoolThatFailsGivesThePermitBack() throws Exception {
        FakePool pool = new FakePool(1);
        FairConnectionGate gate = new FairConnectionGate(pool, 1, Duration.ofMillis(200));
        pool.failing.set(true);
        for (int i = 0; i < 3; i++) {
            assertThrows(SQLTransientConnectionException.class, gate::getConnection);
        }
        assertEquals(1, gate.available());
        pool.failing.set(false);
        try (Connection c = gate.getConnection()) {
            assertTrue(c.isValid(1), "calls reach the pool's connection");
            assertEquals(c, c);
            assertNotEquals(c, pool.free.peek());
            assertEquals(0, gate.available());
        }
        assertEquals(1, gate.available());
        assertEquals(1, pool.closes.get());
    }

    @Test
    void manyCallersOnAFewConnectionsAllFinishAndNeverExceedThePool() throws Exception {
        FakePool pool = new FakePool(3);
        FairConnectionGate gate = new FairConnectionGate(pool, 3, Duration.ofSeconds(10));
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int k = 0; k < 20; k++) {
                    try (Connection c = gate.getConnection()) {
                        Thread.onSpinWait();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                done.incrementAndGet();
            }));
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertEquals(200, done.get());
        assertEquals(3, gate.available());
        assertEquals(3, pool.free.size());
        assertFalse(pool.failing.get());
    }
}
