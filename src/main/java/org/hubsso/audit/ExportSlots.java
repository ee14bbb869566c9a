package org.hubsso.audit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many audit exports one node writes at once ({@code hub.audit.exports}, 2): an export of a long history keeps
 * a request thread and a database connection busy for seconds, so more at once are refused (429 with
 * {@code Retry-After}) rather than queued.
 *
 * <pre>{@code
 * Optional<ExportSlots.Slot> slot = slots.take();
 * if (slot.isEmpty()) { answer 429 } else try (ExportSlots.Slot s = slot.get()) { write the export }
 * }</pre>
 */
@ApplicationScoped
public class ExportSlots {

    /** Seconds a refused export is told to wait. */
    public static final int RETRY_AFTER_SECONDS = 30;

    @Inject
    @ConfigProperty(name = "hub.audit.exports", defaultValue = "2")
    int configured;

    private Semaphore slots;

    /** A taken slot, given back by closing it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    @PostConstruct
    void init() {
        slots = new Semaphore(Math.max(1, configured));
    }

    /** A slot when one is free now; never waits. */
    public Optional<Slot> take() {
        return slots.tryAcquire() ? Optional.of(slots::release) : Optional.empty();
    }
}
