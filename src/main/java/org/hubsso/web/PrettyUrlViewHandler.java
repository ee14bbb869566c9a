package org.hubsso.web;

import jakarta.faces.application.ViewHandler;
import jakarta.faces.application.ViewHandlerWrapper;
import jakarta.faces.component.UIViewRoot;
import jakarta.faces.context.FacesContext;
import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import java.util.Set;

/**
 * Forms post back to the public URL they were rendered at, not to the internal view path; views without forms
 * keep no server-side state, so reading public pages never creates an HTTP session.
 */
public class PrettyUrlViewHandler extends ViewHandlerWrapper {

    /** Views with no form: rendered transient. */
    static final Set<String> STATELESS = Set.of("home", "org", "repo", Route.NOT_FOUND_VIEW, "denied", "expired",
            "error", "sso-failed", "org-audit", "verify-email");

    public PrettyUrlViewHandler(ViewHandler wrapped) {
        super(wrapped);
    }

    @Override
    public UIViewRoot createView(FacesContext context, String viewId) {
        UIViewRoot root = super.createView(context, viewId);
        if (root != null && viewId != null && viewId.startsWith("/views/") && viewId.endsWith(".xhtml")
                && STATELESS.contains(viewId.substring("/views/".length(), viewId.length() - ".xhtml".length()))) {
            root.setTransient(true);
        }
        return root;
    }

    @Override
    public String getActionURL(FacesContext context, String viewId) {
        Map<String, Object> request = context.getExternalContext().getRequestMap();
        Object uri = request.get(RequestDispatcher.FORWARD_REQUEST_URI);
        if (uri != null && context.getViewRoot() != null && viewId.equals(context.getViewRoot().getViewId())) {
            Object query = request.get(RequestDispatcher.FORWARD_QUERY_STRING);
            return query == null ? uri.toString() : uri + "?" + query;
        }
        return super.getActionURL(context, viewId);
    }
}
