package org.hubsso.orgs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.access.Decision;
import org.hubsso.access.OrgAccess;
import org.hubsso.access.OrgContexts;
import org.hubsso.access.OrgName;
import org.hubsso.access.RepoName;
import org.hubsso.access.Scope;
import org.hubsso.access.Viewer;
import org.hubsso.hub.AccountService;
import org.hubsso.hub.HubClock;
import org.hubsso.hub.Names;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Repo;
import org.hubsso.hub.RepoKind;
import org.hubsso.hub.Repos;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;
import org.hubsso.hub.Visibility;

/** Repositories of an organization. Every method is guarded by the access policy. */
@ApplicationScoped
@Transactional
public class RepoService {

    @PersistenceContext(unitName = "hub")
    EntityManager em;

    @Inject
    Viewer viewer;

    @Inject
    OrgContexts contexts;

    @Inject
    AccountService accounts;

    @Inject
    Repos repos;

    @Inject
    HubClock clock;

    @OrgAccess(scope = Scope.REPO)
    public Repo view(@OrgName String orgName, @RepoName String repoName) {
        return repos.find(contexts.guarded(orgName).org(), repoName)
                .orElseThrow(() -> new AccessDeniedException(Decision.NOT_FOUND, orgName));
    }

    @OrgAccess(value = Role.WRITE, scope = Scope.ORG)
    public Repo create(@OrgName String orgName, RepoKind kind, String name, Visibility visibility, String readme) {
        Organization org = contexts.guarded(orgName).org();
        if (kind == null) {
            throw new ValidationException("kind", "Choose a kind.");
        }
        if (visibility == null) {
            throw new ValidationException("visibility", "Choose public or private.");
        }
        String repoName = Names.requireRepoName("name", name);
        String text = Names.requireText("readme", readme, Names.README_MAX);
        if (repos.find(org, repoName).isPresent()) {
            throw new ValidationException("name", "This organization already has a repository with this name.");
        }
        Repo repo = new Repo(org, kind, repoName, visibility, text,
                accounts.find(viewer.getAccountId()).orElse(null), clock.now());
        em.persist(repo);
        return repo;
    }
}
