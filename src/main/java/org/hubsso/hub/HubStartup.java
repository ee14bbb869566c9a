package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** At deployment: migrate the schema, then bootstrap. A failure stops the deployment. */
@ApplicationScoped
public class HubStartup {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Bootstrap bootstrap;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        migrator.migrate();
        bootstrap.run();
    }
}
