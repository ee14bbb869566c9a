package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finders for repositories; no access decisions here. */
@ApplicationScoped
public class Repos {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    public Optional<Repo> find(Organization org, String name) {
        if (name == null || name.isEmpty() || name.length() > Names.REPO_NAME_MAX) {
            return Optional.empty();
        }
        return em.createQuery("select r from Repo r where r.organization = :o and r.nameKey = :k", Repo.class)
                .setParameter("o", org).setParameter("k", name.toLowerCase(Locale.ROOT)).getResultList()
                .stream().findFirst();
    }

    public List<Repo> of(Organization org) {
        return em.createQuery("select r from Repo r where r.organization = :o order by r.nameKey", Repo.class)
                .setParameter("o", org).getResultList();
    }
}
