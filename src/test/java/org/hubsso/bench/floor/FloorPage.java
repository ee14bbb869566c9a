package org.hubsso.bench.floor;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** The Faces page's bean: one query. */
@Named
@RequestScoped
public class FloorPage {

    @PersistenceContext(unitName = "floor")
    EntityManager em;

    @Transactional
    public long getStarts() {
        return em.createQuery("select count(n) from FloorNote n", Long.class).getSingleResult();
    }
}
