package org.hubsso.hub;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * At deployment: migrate the schema, then bootstrap. A failure stops the deployment. On a database without a schema
 * (the first start) the bootstrap admin's password is hashed on another thread while Flyway migrates; the admin
 * exists before the deployment completes, as before.
 */
@ApplicationScoped
public class HubStartup {

    @Inject
    SchemaMigrator migrator;

    @Inject
    Bootstrap bootstrap;

    @Resource
    ManagedExecutorService executor;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        Bootstrap.Prepared admin = migrator.hasSchema() ? null : bootstrap.prepare(executor);
        migrator.migrate();
        bootstrap.run(admin);
    }
}
