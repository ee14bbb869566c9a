package org.hubsso.access;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import org.hubsso.hub.Organization;
import org.hubsso.hub.Organizations;
import org.hubsso.hub.Repos;
import org.hubsso.hub.Visibility;

/**
 * Applies the {@link AccessPolicy} to every {@link OrgAccess} method before it runs. Runs inside the caller's
 * transaction (after {@code @Transactional}), so what it loads is what the method sees.
 */
@OrgAccess
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class OrgAccessInterceptor {

    @Inject
    Viewer viewer;

    @Inject
    OrgContexts contexts;

    @Inject
    Organizations organizations;

    @Inject
    Repos repos;

    @Inject
    AccessMetrics metrics;

    @AroundInvoke
    public Object check(InvocationContext ctx) throws Exception {
        Method method = ctx.getMethod();
        OrgAccess rule = method.getAnnotation(OrgAccess.class);
        if (rule == null) {
            rule = method.getDeclaringClass().getAnnotation(OrgAccess.class);
        }
        String orgName = argument(ctx, OrgName.class);
        if (orgName == null) {
            throw new IllegalStateException("@OrgAccess method without an @OrgName argument: " + method);
        }
        Organization org = organizations.byName(orgName)
                .orElseThrow(() -> metrics.notFound(orgName));
        OrgContext context = contexts.of(org, viewer.getAccountId(), viewer.getSignInId());
        Visibility visibility = Visibility.PUBLIC;
        if (rule.scope() == Scope.REPO) {
            String repoName = argument(ctx, RepoName.class);
            visibility = repos.find(org, repoName).map(r -> r.getVisibility())
                    .orElseThrow(() -> metrics.notFound(orgName));
        }
        Decision decision = context.decide(rule.scope(), AccessPolicy.visibilityOf(rule.scope(), visibility),
                rule.value());
        metrics.decided(decision);
        if (decision != Decision.ALLOW) {
            throw new AccessDeniedException(decision, org.getName());
        }
        return contexts.within(context, ctx::proceed);
    }

    private static String argument(InvocationContext ctx, Class<? extends Annotation> marker) {
        Annotation[][] annotations = ctx.getMethod().getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation a : annotations[i]) {
                if (a.annotationType() == marker) {
                    Object value = ctx.getParameters()[i];
                    return value == null ? null : value.toString();
                }
            }
        }
        return null;
    }
}
