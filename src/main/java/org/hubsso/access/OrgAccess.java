package org.hubsso.access;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.hubsso.hub.Role;

/**
 * Guards a service method that reads or changes an organization's content. The organization is the parameter
 * annotated {@link OrgName}; for {@link Scope#REPO} the repository is the parameter annotated {@link RepoName}.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface OrgAccess {

    /** The least role the method needs. */
    @Nonbinding
    Role value() default Role.READ;

    @Nonbinding
    Scope scope() default Scope.ORG;
}
