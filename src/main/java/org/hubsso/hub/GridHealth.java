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
 * ready, so a load balancer kept sending users there. A server without such a binding (WildFly keeps sessions in
 * Infinispan inside its own process; Payara started without clustering) reports {@code grid: none} and stays UP.
 * The server's class is reached by reflection: the WAR has no Hazelcast API and must deploy on every server.
 */
@Readiness
@ApplicationScoped
public class GridHealth implements HealthCheck {

    static final String NAME = "hub-grid";
    static final String PAYARA_HAZELCAST = "payara/Hazelcast";

    private volatile Object hazelcast;

    /** Looks the grid up while the application starts, where naming works on every server. */
    void ready(@Observes @Initialized(ApplicationScoped.class) Object event) {
        try {
            hazelcast = new InitialContext().lookup(PAYARA_HAZELCAST);
        } catch (NamingException | RuntimeException none) {
            hazelcast = null;
        }
    }

    @Override
    public HealthCheckResponse call() {
        Object instance = hazelcast;
        if (instance == null) {
            return HealthCheckResponse.named(NAME).up().withData("grid", "none").build();
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
