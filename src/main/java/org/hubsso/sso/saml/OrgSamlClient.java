package org.hubsso.sso.saml;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Optional;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.pac4j.core.client.IndirectClient;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.core.exception.http.FoundAction;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.profile.CommonProfile;
import org.pac4j.core.profile.creator.AuthenticatorProfileCreator;
import org.pac4j.core.profile.definition.CommonProfileDefinition;

/**
 * The pac4j client of one organization's SAML IdP. The protocol work is {@link SamlAdapter}'s (keycloak-saml-core);
 * this client plugs it into pac4j: the redirection action carries the AuthnRequest, the credentials are the
 * posted SAMLResponse, the authenticator validates it. It keeps nothing in the HTTP session: the pending request
 * lives in the database, and the IdP's cross-site POST arrives without the session cookie anyway.
 */
public class OrgSamlClient extends IndirectClient {

    /** Request attribute with the id of the pending request to send (set by the caller before redirecting). */
    public static final String REQUEST_ID = "hub.sso.requestId";
    public static final String SAML_RESPONSE = "SAMLResponse";

    private final SamlAdapter adapter;
    private final Clock clock;

    public OrgSamlClient(String orgUid, String acsUrl, SamlAdapter adapter, Clock clock) {
        this.adapter = adapter;
        this.clock = clock;
        setName("saml-" + orgUid);
        setCallbackUrl(acsUrl);
        setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        // A failed answer must not write "attempted authentication" into a session (it would create one).
        setCheckAuthenticationAttempt(false);
        setSaveProfileInSession(false);
    }

    @Override
    protected void internalInit(boolean forceReinit) {
        setRedirectionActionBuilderIfUndefined(ctx -> {
            Optional<?> attribute = ctx.webContext().getRequestAttribute(REQUEST_ID);
            if (attribute.isEmpty() || !(attribute.get() instanceof String requestId)) {
                throw new TechnicalException("no pending SSO request to send");
            }
            return Optional.<RedirectionAction>of(new FoundAction(adapter.authnRequestRedirect(requestId).toString()));
        });
        setCredentialsExtractorIfUndefined(ctx -> {
            WebContext web = ctx.webContext();
            if (!"POST".equalsIgnoreCase(web.getRequestMethod())) {
                return Optional.empty();
            }
            return Optional.of(new SamlResponseCredentials(web.getRequestParameter(SAML_RESPONSE).orElse(null)));
        });
        setAuthenticatorIfUndefined((ctx, credentials) -> {
            SamlResponseCredentials posted = (SamlResponseCredentials) credentials;
            try {
                posted.validated = adapter.validate(posted.samlResponse, clock.instant());
            } catch (SsoFailure failure) {
                throw new Rejected(failure);
            }
            IdpIdentity identity = posted.validated.identity();
            CommonProfile profile = new CommonProfile();
            profile.setId(identity.subject());
            profile.addAttribute(CommonProfileDefinition.EMAIL, identity.email());
            profile.addAttribute("issuer", identity.issuer());
            identity.attributes().forEach((name, values) -> profile.addAttribute(name, new ArrayList<>(values)));
            posted.setUserProfile(profile);
            return Optional.of(posted);
        });
        setProfileCreatorIfUndefined(AuthenticatorProfileCreator.INSTANCE);
    }

    /**
     * Validates the posted answer.
     *
     * @return the validated answer, empty when nothing was posted as a SAMLResponse
     * @throws SsoFailure when a check fails, with its reason code
     */
    public Optional<SamlResponseValidator.Validated> answer(CallContext ctx) throws SsoFailure {
        try {
            Optional<Credentials> credentials = getCredentials(ctx);
            if (credentials.isEmpty()) {
                return Optional.empty();
            }
            return validateCredentials(ctx, credentials.get())
                    .map(c -> ((SamlResponseCredentials) c).validated);
        } catch (Rejected rejected) {
            throw rejected.failure;
        }
    }

    /** The posted SAMLResponse, and once validated, what validation found. */
    static final class SamlResponseCredentials extends Credentials {
        private static final long serialVersionUID = 1L;
        final String samlResponse;
        transient SamlResponseValidator.Validated validated;

        SamlResponseCredentials(String samlResponse) {
            this.samlResponse = samlResponse;
        }
    }

    /** Carries the reason through pac4j, which swallows its own CredentialsException. */
    static final class Rejected extends TechnicalException {
        private static final long serialVersionUID = 1L;
        final transient SsoFailure failure;

        Rejected(SsoFailure failure) {
            super(failure.reason().name());
            this.failure = failure;
        }
    }
}
