package org.hubsso.web;

import jakarta.faces.application.ViewExpiredException;
import jakarta.faces.application.ViewHandler;
import jakarta.faces.component.UIViewRoot;
import jakarta.faces.context.ExceptionHandler;
import jakarta.faces.context.ExceptionHandlerFactory;
import jakarta.faces.context.ExceptionHandlerWrapper;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.ExceptionQueuedEvent;
import jakarta.faces.event.PhaseId;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Iterator;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hubsso.access.AccessDeniedException;
import org.hubsso.hub.Causes;
import org.hubsso.hub.DatabaseUnavailable;
import org.hubsso.hub.TooManyAttemptsException;

/**
 * Turns exceptions into pages: an access denial into its 404 / 403 / SSO-required page, an expired or forged
 * form into a 400 page, an attempt beyond a throttle or the password hashers into a 429 page with
 * {@code Retry-After}, an unreachable database into the static 503 page ({@link UnavailablePage}), anything else
 * into a 500 page with an incident id (the detail goes to the server log only). No stack trace ever reaches the
 * browser.
 */
public class HubExceptionHandler extends ExceptionHandlerWrapper {

    private static final Logger LOG = Logger.getLogger(HubExceptionHandler.class.getName());

    public HubExceptionHandler(ExceptionHandler wrapped) {
        super(wrapped);
    }

    @Override
    public void handle() {
        Iterator<ExceptionQueuedEvent> events = getUnhandledExceptionQueuedEvents().iterator();
        if (events.hasNext()) {
            Throwable error = events.next().getContext().getException();
            events.remove();
            while (events.hasNext()) {
                events.next();
                events.remove();
            }
            FacesContext ctx = FacesContext.getCurrentInstance();
            if (!ctx.getExternalContext().isResponseCommitted()) {
                render(ctx, error);
            } else {
                LOG.log(Level.WARNING, "Error after the response was committed", error);
            }
        }
        getWrapped().handle();
    }

    private static void render(FacesContext ctx, Throwable error) {
        boolean rendering = ctx.getCurrentPhaseId() == PhaseId.RENDER_RESPONSE;
        if (rendering) {
            ctx.getExternalContext().responseReset();
        }
        if (DatabaseUnavailable.in(error)) {
            LOG.warning(() -> "Database unreachable: a page answered 503 (" + Causes.root(error).getClass()
                    .getSimpleName() + ")");
            try {
                UnavailablePage.write((ServletContext) ctx.getExternalContext().getContext(),
                        (HttpServletResponse) ctx.getExternalContext().getResponse());
            } catch (IOException e) {
                LOG.log(Level.FINE, "Cannot write the 503 page", e);
            }
            ctx.responseComplete();
            return;
        }
        AccessDeniedException denied = Causes.find(error, AccessDeniedException.class).orElse(null);
        TooManyAttemptsException busy = Causes.find(error, TooManyAttemptsException.class).orElse(null);
        String view;
        int status;
        if (denied != null) {
            status = denied.getDecision().httpStatus();
            view = DeniedPages.viewId(denied.getDecision());
            DeniedPages.mark(denied, ctx.getExternalContext().getRequestMap()::put,
                    ctx.getExternalContext()::setResponseHeader);
        } else if (busy != null) {
            status = 429;
            view = "/views/busy.xhtml";
            ctx.getExternalContext().setResponseHeader("Retry-After", Long.toString(busy.retryAfterSeconds()));
            ctx.getExternalContext().getRequestMap().put("busyMessage", busy.getMessage());
        } else if (Causes.find(error, ViewExpiredException.class).isPresent() || restoringPostback(ctx)) {
            status = 400;
            view = "/views/expired.xhtml";
        } else {
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Incident " + incident, error);
            ctx.getExternalContext().getRequestMap().put("incident", incident);
            status = 500;
            view = "/views/error.xhtml";
        }
        ctx.getExternalContext().setResponseStatus(status);
        ViewHandler views = ctx.getApplication().getViewHandler();
        UIViewRoot root = views.createView(ctx, view);
        ctx.setViewRoot(root);
        ctx.getPartialViewContext().setRenderAll(true);
        if (!rendering) {
            ctx.renderResponse();
            return;
        }
        try {
            views.renderView(ctx, root);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Cannot render the error page", e);
        }
        ctx.responseComplete();
    }

    /** A postback whose view state cannot be restored (stale, forged or from another page) is bad input. */
    private static boolean restoringPostback(FacesContext ctx) {
        return ctx.getCurrentPhaseId() == PhaseId.RESTORE_VIEW && ctx.getExternalContext().getRequestParameterMap()
                .containsKey("jakarta.faces.ViewState");
    }

    /** Registered in faces-config.xml. */
    public static class Factory extends ExceptionHandlerFactory {

        public Factory(ExceptionHandlerFactory wrapped) {
            super(wrapped);
        }

        @Override
        public ExceptionHandler getExceptionHandler() {
            return new HubExceptionHandler(getWrapped().getExceptionHandler());
        }
    }

}
