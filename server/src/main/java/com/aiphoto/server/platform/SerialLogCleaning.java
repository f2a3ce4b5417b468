package com.aiphoto.server.platform;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.rolling.SizeAndTimeBasedFileNamingAndTriggeringPolicy;
import ch.qos.logback.core.rolling.helper.ArchiveRemover;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * logback's size-and-time naming policy, with one change: a rollover waits for its clean-up of old archives
 * instead of leaving it to run beside the next ones.
 * <p>
 * Why: logback (1.5.24, and its main branch in 2026) hands every rollover's clean-up to a thread pool, and each
 * clean-up computes the periods to delete with the policy's one {@code RollingCalendar}, a mutable
 * {@code GregorianCalendar} shared without a lock. Two clean-ups at once (rollovers milliseconds apart) can then
 * compute today as "historically stale" and delete the archives just rolled: logback's status said "deleting
 * historically stale combined.2026-12-06.0.log.gz" when opsctl's LogsCommandTest lost them. Waiting keeps one clean-up at a
 * time, run while the rollover holds the appender's triggering lock, so nothing else uses the calendar. It costs
 * a rollover one directory listing per period of history.
 * <p>
 * This is the policy {@code SizeAndTimeBasedRollingPolicy} embeds, used directly under a
 * {@code TimeBasedRollingPolicy}, so logback records a deprecation warning in its status (never printed here).
 */
final class SerialLogCleaning<E> extends SizeAndTimeBasedFileNamingAndTriggeringPolicy<E> {
    /** A clean-up lists and deletes files; one that takes longer than this no longer holds up logging. */
    private static final long WAIT_SECONDS = 30;

    @Override
    protected ArchiveRemover createArchiveRemover() {
        return new WaitingRemover(super.createArchiveRemover());
    }

    private static final class WaitingRemover extends ContextAwareBase implements ArchiveRemover {
        private final ArchiveRemover inner;

        WaitingRemover(ArchiveRemover inner) {
            this.inner = inner;
        }

        @Override
        public void setContext(Context context) {
            super.setContext(context);
            inner.setContext(context);
        }

        @Override
        public void clean(Instant instant) {
            inner.clean(instant);
        }

        @Override
        public void setMaxHistory(int maxHistory) {
            inner.setMaxHistory(maxHistory);
        }

        @Override
        public void setTotalSizeCap(long totalSizeCap) {
            inner.setTotalSizeCap(totalSizeCap);
        }

        @Override
        public Future<?> cleanAsynchronously(Instant now) {
            Future<?> cleaning = inner.cleanAsynchronously(now);
            try {
                cleaning.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                addWarn("clean-up of old log archives did not finish", e);
            }
            return cleaning;
        }
    }
}
