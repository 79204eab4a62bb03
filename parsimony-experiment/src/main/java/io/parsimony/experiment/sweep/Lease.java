package io.parsimony.experiment.sweep;

import io.parsimony.experiment.store.WorkQueue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A claimed run's lease kept alive: a daemon thread renews it every third of its length while
 * the run trains. When a renewal finds the lease gone (it expired during a long pause and another
 * worker took the run) {@link #lost()} turns true and the training stops at its next epoch end.
 */
final class Lease implements AutoCloseable {

    final WorkQueue.Claim claim;
    private final ScheduledExecutorService beat;
    private volatile boolean lost;

    Lease(WorkQueue queue, WorkQueue.Claim claim, Duration length) {
        this.claim = claim;
        long ms = length.toMillis();
        this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + claim.runKey());
            t.setDaemon(true);
            return t;
        });
        beat.scheduleAtFixedRate(() -> {
            try {
                if (!queue.heartbeat(claim, ms)) {
                    lost = true;
                }
            } catch (RuntimeException e) {
                // the database is unreachable for a moment: the next beat tries again before the lease ends
            }
        }, ms / 3, ms / 3, TimeUnit.MILLISECONDS);
    }

    boolean lost() {
        return lost;
    }

    void lose() {
        lost = true;
    }

    @Override
    public void close() {
        beat.shutdownNow();
        try {
            beat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
