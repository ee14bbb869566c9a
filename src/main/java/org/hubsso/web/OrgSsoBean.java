package org.hubsso.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hubsso.hub.ValidationException;
import org.hubsso.sso.OrgSsoSettings;
import org.hubsso.sso.SsoService;
import org.hubsso.sso.SsoSettingsService;
import org.hubsso.sso.saml.IdpMetadata;

/** {@code /organizations/{org}/settings/sso}: SAML settings, "Update and Test", enable and disable. */
@Named("orgSso")
@RequestScoped
public class OrgSsoBean {

    @Inject
    SsoSettingsService settings;

    @Inject
    SsoService sso;

    private SsoSettingsService.View view;
    private String signOnUrl;
    private String idpIssuer;
    private String certificate;
    private String emailAttribute;
    private Integer clockSkew;
    private String metadata;

    public void load() {
        view = settings.view(orgName());
        OrgSsoSettings s = view.getSettings();
        if (signOnUrl == null) {
            signOnUrl = s.getSamlSignOnUrl();
        }
        if (idpIssuer == null) {
            idpIssuer = s.getSamlIdpIssuer();
        }
        if (certificate == null) {
            certificate = s.getSamlIdpCertificate();
        }
        if (emailAttribute == null) {
            emailAttribute = s.getSamlEmailAttribute();
        }
        if (clockSkew == null) {
            clockSkew = (int) s.getClockSkew().toSeconds();
        }
    }

    public SsoSettingsService.View getView() {
        if (view == null) {
            load();
        }
        return view;
    }

    public String getSpEntityId() {
        return sso.entityId(getView().getOrg());
    }

    public String getAcsUrl() {
        return sso.acsUrl(getView().getOrg());
    }

    /** Saves the draft, then runs a real round-trip through the IdP in test mode. */
    public void updateAndTest() {
        try {
            settings.saveSaml(orgName(), signOnUrl, idpIssuer, certificate, emailAttribute, clockSkew);
            String back = "/organizations/" + orgName() + "/settings/sso";
            Pages.redirect("/organizations/" + orgName() + "/sso?test=1&returnTo="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8));
        } catch (ValidationException e) {
            Pages.fieldError("saml", e);
        }
    }

    public void fillFromMetadata() {
        try {
            IdpMetadata fields = settings.readMetadata(orgName(), metadata);
            signOnUrl = fields.signOnUrl();
            idpIssuer = fields.idpIssuer();
            certificate = fields.certificatePem();
            metadata = null;
            Pages.info("Filled in from the metadata. Review, then press Update and Test.");
        } catch (ValidationException e) {
            Pages.fieldError("meta", e);
        }
    }

    /** Enables SSO, then sends the admin through the IdP at once, so the settings stay reachable. */
    public void enable() {
        try {
            settings.enable(orgName());
            Pages.notice("Single sign-on is enabled. Members now pass your IdP to see the organization.");
            String back = "/organizations/" + orgName() + "/settings/sso";
            Pages.redirect("/organizations/" + orgName() + "/sso?returnTo="
                    + URLEncoder.encode(back, StandardCharsets.UTF_8));
        } catch (ValidationException e) {
            Pages.fieldError("state", e);
        }
    }

    public void disable() {
        settings.disable(orgName());
        Pages.notice("Single sign-on is disabled.");
        Pages.redirect("/organizations/" + orgName() + "/settings/sso");
    }

    private static String orgName() {
        return Pages.route().org();
    }

    public String getSignOnUrl() {
        return signOnUrl;
    }

    public void setSignOnUrl(String signOnUrl) {
        this.signOnUrl = signOnUrl;
    }

    public String getIdpIssuer() {
        return idpIssuer;
    }

    public void setIdpIssuer(String idpIssuer) {
        this.idpIssuer = idpIssuer;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getEmailAttribute() {
        return emailAttribute;
    }

    public void setEmailAttribute(String emailAttribute) {
        this.emailAttribute = emailAttribute;
    }

    public Integer getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Integer clockSkew) {
        this.clockSkew = clockSkew;
    }

    public String getMetadata() {
        return metadata;
    }

    public void setMetadata(String metadata) {
        this.metadata = metadata;
    }
}
