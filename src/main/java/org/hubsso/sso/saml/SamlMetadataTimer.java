package org.hubsso.sso.saml;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

/** Once a minute, the IdP metadata refreshes that are due ({@link SamlMetadataRefresh#refreshDue}). */
@Singleton
public class SamlMetadataTimer {

    @Inject
    SamlMetadataRefresh refresh;

    @Schedule(hour = "*", minute = "*", persistent = false)
    public void refreshDue() {
        refresh.refreshDue();
    }
}
