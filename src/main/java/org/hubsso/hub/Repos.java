package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** One page of the organization's repositories by name (only public ones with {@code publicOnly}). */
    public Keyset.Slice<Repo> of(Organization org, boolean publicOnly, Keyset.Request page) {
        return Keyset.page(em, Repo.class, "select r from Repo r where r.organization = :o" + (publicOnly
                ? " and r.visibility = :v" : ""), "r.nameKey", publicOnly ? Map.of("o", org, "v", Visibility.PUBLIC)
                : Map.of("o", org), page, r -> r.getName().toLowerCase(Locale.ROOT));
    }

    public long count(Organization org, boolean publicOnly) {
        var q = em.createQuery("select count(r) from Repo r where r.organization = :o" + (publicOnly
                ? " and r.visibility = :v" : ""), Long.class).setParameter("o", org);
        if (publicOnly) {
            q.setParameter("v", Visibility.PUBLIC);
        }
        return q.getSingleResult();
    }
}
