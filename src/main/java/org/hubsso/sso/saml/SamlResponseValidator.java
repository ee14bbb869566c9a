package org.hubsso.sso.saml;

import static org.hubsso.sso.saml.SamlAssertionRules.assertionIssuer;
import static org.hubsso.sso.saml.SamlAssertionRules.audience;
import static org.hubsso.sso.saml.SamlAssertionRules.authnStatement;
import static org.hubsso.sso.saml.SamlAssertionRules.bearerConfirmation;
import static org.hubsso.sso.saml.SamlAssertionRules.conditions;
import static org.hubsso.sso.saml.SamlAssertionRules.confirmationValid;
import static org.hubsso.sso.saml.SamlAssertionRules.destination;
import static org.hubsso.sso.saml.SamlAssertionRules.issuedInThePast;
import static org.hubsso.sso.saml.SamlAssertionRules.noConfirmationNotBefore;
import static org.hubsso.sso.saml.SamlAssertionRules.recipient;
import static org.hubsso.sso.saml.SamlAssertionRules.responseIssuer;
import static org.hubsso.sso.saml.SamlAssertionRules.sameRequest;
import static org.hubsso.sso.saml.SamlAssertionRules.skewMillis;
import static org.hubsso.sso.saml.SamlAssertionRules.solicited;
import static org.hubsso.sso.saml.SamlAssertionRules.statusSuccess;
import static org.hubsso.sso.saml.SamlAssertionRules.theOnlyAssertion;
import static org.hubsso.sso.saml.SamlAssertionRules.withinValidity;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hubsso.sso.IdpCertificate;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.ValidatedAnswer;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.ConditionsType;
import org.keycloak.dom.saml.v2.assertion.SubjectConfirmationDataType;
import org.keycloak.dom.saml.v2.protocol.ResponseType;
import org.keycloak.saml.processing.core.saml.v2.common.SAMLDocumentHolder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The ACS checklist for a SAML Response posted to an organization, as stages: XML hardening ({@link SamlXml}), the
 * IdP's status (reported in its own words when not Success), the one assertion (decrypted by {@link SamlDecryption}
 * when it is encrypted), signatures ({@link SamlSignatureRules}), the protocol and assertion rules
 * ({@link SamlAssertionRules}, one method per reason code), the identity ({@link SamlIdentity}). Parsing and XML
 * signature verification are keycloak-saml-core's. It does not touch the database: the pending sign-in it answers
 * and the replay table are the core's, with what this returns.
 */
public final class SamlResponseValidator {

    /** Largest accepted SAMLResponse form value (base64). */
    public static final int MAX_ENCODED = SamlXml.MAX_ENCODED;

    private SamlResponseValidator() {
    }

    /**
     * What this organization's ACS expects.
     *
     * @param idpCertificates the trusted signing certificates: a response verifies with any one of them
     */
    public record Expectations(String spEntityId, String acsUrl, String idpIssuer,
            List<X509Certificate> idpCertificates, Duration clockSkew, String emailAttribute, boolean allowSha1) {

        public Expectations {
            idpCertificates = List.copyOf(idpCertificates);
        }

        /** Trusting one certificate. */
        public Expectations(String spEntityId, String acsUrl, String idpIssuer, X509Certificate idpCertificate,
                Duration clockSkew, String emailAttribute, boolean allowSha1) {
            this(spEntityId, acsUrl, idpIssuer, List.of(idpCertificate), clockSkew, emailAttribute, allowSha1);
        }
    }

    /**
     * A posted answer read and parsed, nothing of it trusted yet: the first stage of {@link #validate}. Its
     * InResponseTo ({@link #claimedRequest()}) may only serve to find the sign-in it claims to answer.
     */
    public static final class Read {
        private final SAMLDocumentHolder holder;
        private final ResponseType response;

        private Read(SAMLDocumentHolder holder) {
            this.holder = holder;
            this.response = (ResponseType) holder.getSamlObject();
        }

        /** The request id the answer claims to answer (unverified). */
        public String claimedRequest() {
            return response.getInResponseTo();
        }
    }

    /** Every stage, on a posted SAMLResponse. */
    public static ValidatedAnswer validate(String encoded, Expectations expect, Instant now) throws SsoFailure {
        return check(read(encoded), expect, now);
    }

    /** The XML hardening stage alone: what the answer claims to answer is known before what to check it with. */
    public static Read read(String encoded) throws SsoFailure {
        return new Read(SamlXml.read(encoded));
    }

    /**
     * The other stages, on a read answer, against what this organization's ACS expects.
     *
     * @throws SsoFailure naming the failed check, {@linkplain SsoFailure#answering answering} the claimed request
     */
    public static ValidatedAnswer check(Read read, Expectations expect, Instant now) throws SsoFailure {
        return check(read, expect, now, List::of);
    }

    /** The private keys an encrypted assertion may be encrypted to; asked for only when the answer is encrypted. */
    @FunctionalInterface
    public interface DecryptionKeys {
        List<PrivateKey> get();
    }

    /**
     * The other stages, with the organization's decryption keys for an encrypted assertion.
     *
     * @throws SsoFailure naming the failed check, {@linkplain SsoFailure#answering answering} the claimed request
     */
    public static ValidatedAnswer check(Read read, Expectations expect, Instant now, DecryptionKeys keys)
            throws SsoFailure {
        try {
            return check(read.holder, read.response, expect, now, keys);
        } catch (SsoFailure failure) {
            throw failure.answering(read.claimedRequest());
        }
    }

    private static ValidatedAnswer check(SAMLDocumentHolder holder, ResponseType response, Expectations expect,
            Instant now, DecryptionKeys keys) throws SsoFailure {
        statusSuccess(response);
        Element encrypted = SamlDecryption.encryptedAssertion(holder.getSamlDocument(), response);
        AssertionType assertion;
        X509Certificate verifiedWith;
        if (encrypted == null) {
            Element assertionElement = theOnlyAssertion(holder, response);
            assertion = response.getAssertions().get(0).getAssertion();
            verifiedWith = SamlSignatureRules.verify(holder.getSamlDocument(), assertionElement, assertion,
                    expect.idpCertificates(), expect.allowSha1());
        } else {
            SamlDecryption.allowedAlgorithms(encrypted);
            // A signed Response covers the ciphertext: verified before anything is decrypted.
            X509Certificate responseVerifiedWith = SamlSignatureRules.verifyResponse(holder.getSamlDocument(),
                    expect.idpCertificates(), expect.allowSha1());
            Document decrypted = SamlDecryption.decrypt(encrypted, keys.get());
            assertion = SamlDecryption.parse(decrypted);
            X509Certificate assertionVerifiedWith = SamlSignatureRules.verifyDecrypted(decrypted, assertion,
                    expect.idpCertificates(), expect.allowSha1());
            if (responseVerifiedWith == null && assertionVerifiedWith == null) {
                throw new SsoFailure(SsoFailure.Reason.SIGNATURE_INVALID, "Neither the Response nor its encrypted"
                        + " assertion carries a signature.");
            }
            verifiedWith = responseVerifiedWith != null ? responseVerifiedWith : assertionVerifiedWith;
        }

        destination(response, expect.acsUrl());
        responseIssuer(response, expect.idpIssuer());
        assertionIssuer(assertion, expect.idpIssuer());

        Duration skew = expect.clockSkew();
        long skewMillis = skewMillis(assertion, now);
        issuedInThePast(response, assertion, now, skew, skewMillis);
        ConditionsType conditions = conditions(assertion);
        audience(conditions, expect.spEntityId());
        Instant notOnOrAfter = withinValidity(conditions, now, skew, skewMillis);

        String inResponseTo = solicited(response);
        SubjectConfirmationDataType confirmation = bearerConfirmation(assertion);
        recipient(confirmation, expect.acsUrl());
        noConfirmationNotBefore(confirmation);
        Instant confirmationExpiry = confirmationValid(confirmation, now, skew, skewMillis);
        sameRequest(inResponseTo, confirmation);
        authnStatement(assertion);

        IdpIdentity identity = SamlIdentity.of(assertion, expect.idpIssuer(), expect.emailAttribute(), skewMillis);
        Instant keepUntil = (notOnOrAfter.isAfter(confirmationExpiry) ? notOnOrAfter : confirmationExpiry).plus(skew);
        return new ValidatedAnswer(inResponseTo, assertion.getID(), keepUntil, identity,
                IdpCertificate.sha256Fingerprint(verifiedWith));
    }
}
