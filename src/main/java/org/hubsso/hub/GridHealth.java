package org.hubsso.hub;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Method;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: this node is a running member of its data grid, which holds the web sessions of a cluster.
 * On Payara the grid is Hazelcast, bound by the server at {@code payara/Hazelcast}; a node whose Hazelcast instance
 * stopped (it dropped out of the cluster, or ran out of heap) answered every sign-in with a 500 while it still looked
 * ready, so a load balancer kept sending users there. On WildFly the sessions live in the Infinispan cache container
 * {@code web} (bound at {@value #WILDFLY_WEB_SESSIONS}): the node is ready while the container runs and its cluster
 * health is HEALTHY (or rebalancing), not DEGRADED (a partition made caches unavailable) or FAILED. A server without
 * either (Payara started without clustering) reports {@code grid: none} and stays UP. The servers' classes are
 * reached by reflection: the WAR has neither the Hazelcast nor the Infinispan API and must deploy on every server.
 */
@Readiness
@ApplicationScoped
public class GridHealth implements HealthCheck {

    static final String NAME = "hub-grid";
    static final String PAYARA_HAZELCAST = "payara/Hazelcast";
    static final String WILDFLY_WEB_SESSIONS = "java:jboss/infinispan/container/web";

    private volatile Object hazelcast;
    private volatile Object infinispan;

    /** Looks the grid up while the application starts, where naming works on every server. */
    void ready(@Observes @Initialized(ApplicationScoped.class) Object event) {
        hazelcast = lookup(PAYARA_HAZELCAST);
        infinispan = hazelcast == null ? lookup(WILDFLY_WEB_SESSIONS) : null;
    }

    private static Object lookup(String name) {
        try {
            return new InitialContext().lookup(name);
        } catch (NamingException | RuntimeException none) {
            return null;
        }
    }

    @Override
    public HealthCheckResponse call() {
        Object instance = hazelcast;
        if (instance == null) {
            Object container = infinispan;
            return container == null ? HealthCheckResponse.named(NAME).up().withData("grid", "none").build()
                    : infinispan(container);
        }
        boolean running;
        try {
            Object lifecycle = method(instance, "getLifecycleService").invoke(instance);
            running = Boolean.TRUE.equals(method(lifecycle, "isRunning").invoke(lifecycle));
        } catch (ReflectiveOperationException | RuntimeException e) {
            running = false;
        }
        return HealthCheckResponse.named(NAME).status(running).withData("grid", "hazelcast").build();
    }

    /** WildFly's session container: running, and its cluster health HEALTHY or HEALTHY_REBALANCING. */
    private static HealthCheckResponse infinispan(Object container) {
        String status;
        String health;
        try {
            status = String.valueOf(method(container, "getStatus").invoke(container));
            Object all = method(container, "getHealth").invoke(container);
            Object cluster = method(all, "getClusterHealth").invoke(all);
            health = String.valueOf(method(cluster, "getHealthStatus").invoke(cluster));
        } catch (ReflectiveOperationException | RuntimeException e) {
            status = "UNKNOWN";
            health = "UNKNOWN";
        }
        boolean up = "RUNNING".equals(status) && ("HEALTHY".equals(health) || "HEALTHY_REBALANCING".equals(health));
        return HealthCheckResponse.named(NAME).status(up).withData("grid", "infinispan").withData("status", status)
                .withData("health", health).build();
    }

    /** The method as a public interface declares it (the implementation class itself may not be accessible). */
    private static Method method(Object target, String name) throws NoSuchMethodException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> type : c.getInterfaces()) {
                try {
                    return type.getMethod(name);
                } catch (NoSuchMethodException next) {
                    // try the next interface
                }
            }
        }
        return target.getClass().getMethod(name);
    }
}
