package org.hubsso.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The password hashers' bounded pool: derivations beyond the hashers wait in a bounded queue, and an attempt that
 * finds the queue full is refused at once (it never waits for a hasher), with a short Retry-After.
 */
class HashingPoolTest {

    @Test
    void anAttemptBeyondHashersAndQueueIsRefusedAtOnce() throws Exception {
        PasswordHasher hasher = new PasswordHasher(1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> hasher.bounded(() -> {
                running.countDown();
                await(release);
                return "first";
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            Future<String> queued = pool.submit(() -> hasher.bounded(() -> "queued"));
            waitUntilQueued(hasher);

            long started = System.nanoTime();
            TooManyAttemptsException refused = assertThrows(TooManyAttemptsException.class,
                    () -> hasher.bounded(() -> "third"));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waitedMillis < PasswordHasher.QUEUE_WAIT.toMillis(), "refused without waiting for a hasher: "
                    + waitedMillis + " ms");
            assertEquals(5, refused.retryAfterSeconds());
            assertTrue(refused.getMessage().contains("busy"), refused.getMessage());

            release.countDown();
            assertEquals("first", first.get(5, TimeUnit.SECONDS));
            assertEquals("queued", queued.get(5, TimeUnit.SECONDS), "the queued attempt ran once a hasher was free");
            assertEquals("later", hasher.bounded(() -> "later"), "the pool is whole again");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aQueuedAttemptGivesUpAfterTheQueueWait() throws Exception {
        PasswordHasher hasher = new PasswordHasher(1, 4);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> hasher.bounded(() -> {
                running.countDown();
                await(release);
                return null;
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            assertThrows(TooManyAttemptsException.class, () -> hasher.bounded(() -> "waited too long"));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void defaultsToHalfTheCores() {
        PasswordHasher hasher = new PasswordHasher();
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), hasher.hashers());
    }

    private static void waitUntilQueued(PasswordHasher hasher) throws InterruptedException {
        for (int i = 0; i < 500 && hasher.waiting() == 0; i++) {
            Thread.sleep(2);
        }
        assertEquals(1, hasher.waiting(), "the second attempt waits for the hasher");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
