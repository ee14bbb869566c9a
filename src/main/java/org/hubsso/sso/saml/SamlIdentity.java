package org.hubsso.sso.saml;

import static org.hubsso.sso.SsoFailure.Reason.EMAIL_MISSING;
import static org.hubsso.sso.SsoFailure.Reason.SUBJECT_CONFIRMATION_MISSING;
import static org.hubsso.sso.saml.SamlXml.quote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hubsso.sso.IdpIdentity;
import org.hubsso.sso.SsoFailure;
import org.hubsso.sso.SsoProtocol;
import org.keycloak.dom.saml.v2.assertion.AssertionType;
import org.keycloak.dom.saml.v2.assertion.AttributeStatementType;
import org.keycloak.dom.saml.v2.assertion.AttributeType;
import org.keycloak.dom.saml.v2.assertion.NameIDType;
import org.keycloak.saml.common.constants.JBossSAMLURIConstants;

/**
 * Who a verified assertion says the user is: its NameID, every attribute with all its values, and the email: the one
 * value of the attribute the admin named, or else (the default) the NameID when its format is email and it holds an
 * address, or else the one
 * address among the attributes IdPs send it in ({@link #EMAIL_ATTRIBUTES}: Keycloak and Okta {@code email},
 * SimpleSAMLphp and Shibboleth {@code mail} or its OID with the URI NameFormat, ADFS and Entra ID the claim URI).
 */
final class SamlIdentity {

    private static final String EMAIL_FORMAT = JBossSAMLURIConstants.NAMEID_FORMAT_EMAIL.get();

    /** The attribute names IdPs send an email address under, by default. */
    static final List<String> EMAIL_ATTRIBUTES = List.of("email", "mail", "urn:oid:0.9.2342.19200300.100.1.3",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress");

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
        if (emailAttribute != null && !emailAttribute.isBlank()) {
            List<String> values = attributes.getOrDefault(emailAttribute, List.of());
            if (values.size() != 1) {
                throw new SsoFailure(EMAIL_MISSING, "Attribute " + quote(emailAttribute) + " (the one named in the"
                        + " settings) has " + values.size() + " values; exactly one is needed.");
            }
            email = values.get(0);
        } else if (EMAIL_FORMAT.equals(nameIdFormat) && isAddress(nameId)) {
            email = nameId;
        } else {
            email = wellKnownEmail(attributes, nameIdFormat);
        }
        return new IdpIdentity(SsoProtocol.SAML, idpIssuer, nameId, email.strip(), attributes, skewMillis);
    }

    /**
     * Whether an email-format NameID holds an address. SimpleSAMLphp, for an SP whose metadata names the emailAddress
     * format, sends that format with an opaque hash of the user's eduPersonPrincipalName as the value: not an email,
     * so the attributes are read instead.
     */
    private static boolean isAddress(String nameId) {
        String value = nameId.strip();
        int at = value.indexOf('@');
        return at > 0 && at == value.lastIndexOf('@') && at < value.length() - 1 && value.chars()
                .noneMatch(Character::isWhitespace);
    }

    /** The one address the well-known attributes hold (the same address under two names is one). */
    private static String wellKnownEmail(Map<String, List<String>> attributes, String nameIdFormat)
            throws SsoFailure {
        List<String> names = new ArrayList<>();
        Set<String> addresses = new LinkedHashSet<>();
        for (String name : EMAIL_ATTRIBUTES) {
            List<String> values = attributes.get(name);
            if (values != null && !values.isEmpty()) {
                names.add(name);
                values.forEach(v -> addresses.add(v.strip().toLowerCase(Locale.ROOT)));
            }
        }
        if (addresses.size() == 1) {
            String name = names.get(0);
            return attributes.get(name).get(0);
        }
        if (addresses.isEmpty()) {
            throw new SsoFailure(EMAIL_MISSING, "The NameID is not an email address (format " + quote(nameIdFormat)
                    + ") and none of the attributes " + String.join(", ", EMAIL_ATTRIBUTES) + " is in the"
                    + " assertion; name the attribute that holds the email in the settings.");
        }
        throw new SsoFailure(EMAIL_MISSING, "The NameID is not an email address and the attributes "
                + String.join(", ", names) + " hold " + addresses.size() + " different addresses; name the attribute"
                + " that holds the member's email in the settings.");
    }

    /**
     * Every attribute by its Name with all its values; an attribute's FriendlyName (SimpleSAMLphp and Shibboleth send
     * {@code mail} beside {@code urn:oid:0.9.2342.19200300.100.1.3}) is a second key for the same values, unless an
     * attribute has that Name itself, so the test page shows both names and a role-mapping path may use either.
     */
    private static Map<String, List<String>> attributes(AssertionType assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        Map<String, List<String>> friendly = new LinkedHashMap<>();
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
                String alias = attribute.getFriendlyName();
                if (alias != null && !alias.isBlank() && !alias.equals(attribute.getName())) {
                    friendly.putIfAbsent(alias, values);
                }
            }
        }
        friendly.forEach(attributes::putIfAbsent);
        return attributes;
    }
}
