package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finders for organizations; no access decisions here. */
@ApplicationScoped
public class Organizations {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    /** By URL name, whatever its case. */
    public Optional<Organization> byName(String name) {
        if (name == null || name.isEmpty() || name.length() > Names.NAME_MAX) {
            return Optional.empty();
        }
        return em.createQuery("select o from Organization o where o.nameKey = :k", Organization.class)
                .setParameter("k", name.toLowerCase(Locale.ROOT)).getResultList().stream().findFirst();
    }

    public Optional<Organization> byId(Long id) {
        return id == null ? Optional.empty() : Optional.ofNullable(em.find(Organization.class, id));
    }

    /** By the stable Organization ID of its SSO endpoints. */
    public Optional<Organization> byUid(String orgUid) {
        if (orgUid == null || orgUid.isEmpty() || orgUid.length() > 24) {
            return Optional.empty();
        }
        return em.createQuery("select o from Organization o where o.orgUid = :u", Organization.class)
                .setParameter("u", orgUid).getResultList().stream().findFirst();
    }

    /** One page of all organizations by name; the search matches names. Names and display names are public. */
    public Keyset.Slice<Organization> page(Keyset.Request page) {
        return Keyset.page(em, Organization.class, "select o from Organization o", "o.nameKey", Map.of(), page,
                o -> o.getName().toLowerCase(Locale.ROOT));
    }

    public boolean nameTaken(String name) {
        return byName(name).isPresent();
    }
}
