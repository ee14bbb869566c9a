package org.hubsso.bench.floor;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Writes a row at start (so JPA connects, as the hub's bootstrap does) and has a timer, as the hub's housekeeping. */
@Singleton
@Startup
public class FloorStart {

    @PersistenceContext(unitName = "floor")
    EntityManager em;

    @PostConstruct
    void started() {
        em.persist(new FloorNote(System.currentTimeMillis()));
    }

    @Schedule(hour = "*", minute = "*/15", persistent = false)
    public void tick() {
        em.createQuery("select count(n) from FloorNote n", Long.class).getSingleResult();
    }
}
