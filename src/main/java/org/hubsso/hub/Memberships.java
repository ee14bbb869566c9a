package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Finders for memberships; no access decisions here. */
@ApplicationScoped
public class Memberships {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    /** The account's membership of the organization. */
    public Optional<Membership> of(Organization org, Long accountId) {
        if (accountId == null) {
            return Optional.empty();
        }
        return em.createQuery("select m from Membership m where m.organization.id = :o and m.account.id = :a",
                Membership.class).setParameter("o", org.getId()).setParameter("a", accountId).getResultList()
                .stream().findFirst();
    }

    /** The account's role in the organization, or empty for a non-member. */
    public Optional<Role> roleOf(Organization org, Long accountId) {
        if (accountId == null) {
            return Optional.empty();
        }
        return em.createQuery("select m.role from Membership m where m.organization.id = :o and m.account.id = :a",
                Role.class).setParameter("o", org.getId()).setParameter("a", accountId).getResultList().stream()
                .findFirst();
    }

    /** A membership of this organization by id (one of another organization is none). */
    public Optional<Membership> inOrg(Organization org, Long membershipId) {
        Membership m = membershipId == null ? null : em.find(Membership.class, membershipId);
        return m != null && m.getOrganization().getId().equals(org.getId()) ? Optional.of(m) : Optional.empty();
    }

    /** One page of the organization's members with their accounts, by username; the search matches usernames. */
    public Keyset.Slice<Membership> members(Organization org, Keyset.Request page) {
        return Keyset.page(em, Membership.class, "select m from Membership m join fetch m.account"
                + " where m.organization = :o", "m.account.usernameKey", Map.of("o", org), page,
                m -> m.getAccount().getUsername().toLowerCase(Locale.ROOT));
    }

    public long count(Organization org) {
        return em.createQuery("select count(m) from Membership m where m.organization = :o", Long.class)
                .setParameter("o", org).getSingleResult();
    }

    /** One page of the account's organizations, by name; the search matches organization names. */
    public Keyset.Slice<Membership> ofAccount(Long accountId, Keyset.Request page) {
        return Keyset.page(em, Membership.class, "select m from Membership m join fetch m.organization"
                + " where m.account.id = :a", "m.organization.nameKey", Map.of("a", accountId), page,
                m -> m.getOrganization().getName().toLowerCase(Locale.ROOT));
    }

    /** The account's first organizations by name, at most {@code max}. */
    public List<Membership> ofAccount(Long accountId, int max) {
        return em.createQuery("select m from Membership m join fetch m.organization where m.account.id = :a"
                + " order by m.organization.nameKey", Membership.class).setParameter("a", accountId)
                .setMaxResults(max).getResultList();
    }

    /** The organization's admins with their accounts. */
    public List<Membership> adminsOf(Organization org) {
        return em.createQuery("select m from Membership m join fetch m.account where m.organization = :o"
                + " and m.role = :r order by m.account.usernameKey", Membership.class).setParameter("o", org)
                .setParameter("r", Role.ADMIN).getResultList();
    }

    public long admins(Organization org) {
        return em.createQuery("select count(m) from Membership m where m.organization = :o and m.role = :r",
                Long.class).setParameter("o", org).setParameter("r", Role.ADMIN).getSingleResult();
    }
}
