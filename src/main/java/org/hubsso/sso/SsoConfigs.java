package org.hubsso.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Organization;
import org.hubsso.hub.OrganizationCreated;

/** The SSO settings of organizations and their drafts: one place for what the services read and create. */
@ApplicationScoped
public class SsoConfigs {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    HubClock clock;

    /**
     * The organization's settings. Every organization gets them when it is created; one older than that gets them
     * (SSO off, nothing configured) the first time they are needed.
     */
    @Transactional
    public OrgSsoSettings settingsOf(Organization org) {
        OrgSsoSettings settings = em.find(OrgSsoSettings.class, org.getId());
        if (settings == null) {
            settings = new OrgSsoSettings(org.getId(), clock.now());
            em.persist(settings);
        }
        return settings;
    }

    /** A new organization starts with SSO off and nothing configured. */
    void created(@Observes OrganizationCreated created) {
        settingsOf(created.org());
    }

    /** The settings when the organization has any, without creating them. */
    @Transactional
    public Optional<OrgSsoSettings> find(Long orgId) {
        return Optional.ofNullable(em.find(OrgSsoSettings.class, orgId));
    }

    /** The draft under test (only while SSO is enforced). */
    @Transactional
    public Optional<SsoDraft> draftOf(Organization org) {
        return Optional.ofNullable(em.find(SsoDraft.class, org.getId()));
    }

    /** What "Update and Test" tries: the draft when there is one, else the live configuration. */
    @Transactional
    public IdpConfig working(Organization org) {
        return draftOf(org).map(SsoDraft::config).orElseGet(() -> settingsOf(org).config());
    }

    /** The organizations whose enforcement the operator suspended, oldest first (a short list by nature). */
    @Transactional
    public List<OrgSsoSettings> suspended() {
        return em.createQuery("select s from OrgSsoSettings s where s.suspendedAt is not null order by s.suspendedAt",
                OrgSsoSettings.class).setMaxResults(200).getResultList();
    }

    /** The suspension of the organization's enforcement, when the operator suspended it. */
    @Transactional
    public Optional<OrgSsoSettings> suspension(Organization org) {
        return find(org.getId()).filter(s -> s.getSuspendedAt() != null);
    }
}
