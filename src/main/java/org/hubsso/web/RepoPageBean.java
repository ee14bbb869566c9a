package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.hubsso.hub.Repo;
import org.hubsso.orgs.RepoService;

/** {@code /{org}/{repo}}: one repository and its README. */
@Named("repoPage")
@RequestScoped
public class RepoPageBean {

    @Inject
    RepoService repos;

    private Repo repo;

    public void load() {
        Route route = Pages.route();
        repo = repos.view(route.org(), route.repo());
    }

    public Repo getRepo() {
        if (repo == null) {
            load();
        }
        return repo;
    }
}
