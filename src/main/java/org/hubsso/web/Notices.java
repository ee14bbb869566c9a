package org.hubsso.web;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.event.PhaseEvent;
import jakarta.faces.event.PhaseId;
import jakarta.faces.event.PhaseListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Notices for the page that the next redirect lands on ("Saved.", "bob joined as read."), kept in the HTTP session
 * until a page is rendered for it. Not in Faces' flash: Mojarra keeps flash data in the memory of the node that wrote
 * it, behind a cookie sealed with that node's own key, so on a cluster the page after the redirect lost the notice
 * whenever another node rendered it (and that node logged JSF1094). The session is replicated like the rest.
 */
public final class Notices implements PhaseListener {

    private static final long serialVersionUID = 1L;
    static final String ATTRIBUTE = Notices.class.getName();

    /** Keeps {@code text} for the next page this browser session gets. */
    static void add(FacesContext ctx, String text) {
        ExternalContext ext = ctx.getExternalContext();
        ext.getSession(true);
        ArrayList<String> notices = new ArrayList<>();
        if (ext.getSessionMap().get(ATTRIBUTE) instanceof List<?> kept) {
            kept.forEach(t -> notices.add(String.valueOf(t)));
        }
        notices.add(text);
        ext.getSessionMap().put(ATTRIBUTE, notices); // a new value, so the session is stored again
    }

    @Override
    public PhaseId getPhaseId() {
        return PhaseId.RENDER_RESPONSE;
    }

    /** Moves the kept notices to this page's messages, once. */
    @Override
    public void beforePhase(PhaseEvent event) {
        FacesContext ctx = event.getFacesContext();
        ExternalContext ext = ctx.getExternalContext();
        if (ext.getSession(false) == null || !(ext.getSessionMap().remove(ATTRIBUTE) instanceof List<?> notices)) {
            return;
        }
        for (Object text : notices) {
            ctx.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, String.valueOf(text), null));
        }
    }

    @Override
    public void afterPhase(PhaseEvent event) {
        // nothing after rendering
    }
}
