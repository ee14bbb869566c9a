package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.EMAIL_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_MISSING;
import static org.hubsso.sso.saml.SamlXml.quote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;

/**
 * Who a verified assertion says the user is: its NameID, every attribute with all its values, and the email (the
 * NameID when its format is email, else the one value of the configured attribute).
 */
final class SamlIdentity {

    private static final String EMAIL_FORMAT = JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get();

    private SamlIdentity() {
    }

    static IdpIdentity of(AssertionType assertion, String idpIssuer, String emailAttribute, long skewMillis)
            throws SsoFailure {
        String nameId = null;
        String nameIdFormat = null;
        if (assertion.getSubject() != null && assertion.getSubject().getSubType() != null
                && assertion.getSubject().getSubType().getBaseID() instanceof NameIDType id) {
            nameId = id.getValue();
            nameIdFormat = id.getFormat() == null ? null : id.getFormat().toString();
        }
        if (nameId == null || nameId.isBlank()) {
            throw new SsoFailure(SUBJECT_CONFIRMATION_MISSING, "The assertion has no NameID.");
        }
        Map<String, List<String>> attributes = attributes(assertion);
        String email;
        if (EMAIL_FORMAT.equals(nameIdFormat)) {
            email = nameId;
        } else {
            List<String> values = attributes.getOrDefault(emailAttribute, List.of());
            if (values.size() != 1) {
                throw new SsoFailure(EMAIL_MISSING, "The NameID is not an email address (format "
                        + quote(nameIdFormat) + ") and attribute " + quote(emailAttribute) + " has "
                        + values.size() + " values; exactly one is needed.");
            }
            email = values.get(0);
        }
        return new IdpIdentity(SsoProtocol.SAML, idpIssuer, nameId, email.strip(), attributes, skewMillis);
    }

    private static Map<String, List<String>> attributes(AssertionType assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (AttributeStatementType statement : assertion.getAttributeStatements()) {
            for (AttributeStatementType.ASTChoiceType choice : statement.getAttributes()) {
                AttributeType attribute = choice.getAttribute();
                if (attribute == null || attribute.getName() == null) {
                    continue;
                }
                List<String> values = attributes.computeIfAbsent(attribute.getName(), k -> new ArrayList<>());
                for (Object value : attribute.getAttributeValue()) {
                    if (value != null) {
                        values.add(String.valueOf(value));
                    }
                }
            }
        }
        return attributes;
    }
}
