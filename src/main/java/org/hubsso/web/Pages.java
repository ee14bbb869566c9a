package org.hubsso.web;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.component.UIComponent;
import jakarta.faces.component.UIInput;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.hubsso.hub.TooManyAttemptsException;
import org.hubsso.hub.ValidationException;

/** Small helpers the page beans share: the current route, field messages, redirects. */
final class Pages {

    private Pages() {
    }

    static Route route() {
        Object route = FacesContext.getCurrentInstance().getExternalContext().getRequestMap().get(Route.ATTRIBUTE);
        return route instanceof Route r ? r : new Route(Route.NOT_FOUND_VIEW, null, null, false);
    }

    /** Shows the message next to the input {@code formId:field}, or at the top when there is no such input. */
    static void fieldError(String formId, ValidationException e) {
        FacesContext ctx = FacesContext.getCurrentInstance();
        UIComponent input = ctx.getViewRoot().findComponent(formId + ":" + e.getField());
        FacesMessage message = new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null);
        if (input == null) {
            ctx.addMessage(null, message);
        } else {
            if (input instanceof UIInput in) {
                in.setValid(false);
            }
            ctx.addMessage(input.getClientId(ctx), message);
        }
        ctx.validationFailed();
    }

    static void error(String text) {
        FacesContext.getCurrentInstance().addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    /** A throttle's refusal on the page it was made from: 429, {@code Retry-After} and its message. */
    static void tooMany(TooManyAttemptsException e) {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        external.setResponseStatus(429);
        external.setResponseHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        error(e.getMessage());
    }

    static void info(String text) {
        FacesContext.getCurrentInstance().addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }

    /** A message shown on the page the next redirect lands on ({@link Notices}). */
    static void notice(String text) {
        Notices.add(FacesContext.getCurrentInstance(), text);
    }

    /** Redirects to an application path (starting with '/'). */
    static void redirect(String path) {
        ExternalContext ext = FacesContext.getCurrentInstance().getExternalContext();
        try {
            ext.redirect(ext.getRequestContextPath() + path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
