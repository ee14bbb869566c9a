package org.hubsso.sso;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hubsso.hub.Jsonp;

/**
 * Who the IdP says the user is, after a protocol adapter validated its answer: the common input of the SSO
 * pipeline for SAML and OIDC alike.
 *
 * @param issuer the IdP's issuer / entity ID
 * @param subject the IdP's subject (SAML NameID, OIDC sub)
 * @param email the email the IdP vouches for, or {@code null}
 * @param attributes the IdP profile: SAML attributes as name to values (plus {@code nameId})
 * @param skewMillis measured difference between the IdP's issue instant and this server's clock
 * @param claimsJson OIDC: the ID token's claims as issued (a JSON object); {@code null} for SAML
 */
public record IdpIdentity(SsoProtocol protocol, String issuer, String subject, String email,
        Map<String, List<String>> attributes, long skewMillis, String claimsJson) {

    public IdpIdentity {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A SAML identity: the profile is built from the attributes. */
    public IdpIdentity(SsoProtocol protocol, String issuer, String subject, String email,
            Map<String, List<String>> attributes, long skewMillis) {
        this(protocol, issuer, subject, email, attributes, skewMillis, null);
    }

    /**
     * The IdP profile as one JSON document: OIDC claims as issued; SAML attributes as
     * {@code {"nameId": "...", "attr": ["v1", "v2"], ...}}.
     */
    public String attributesJson() {
        if (claimsJson != null) {
            return claimsJson;
        }
        JsonObjectBuilder b = Jsonp.JSON.createObjectBuilder();
        if (protocol == SsoProtocol.SAML && subject != null) {
            b.add("nameId", subject);
        }
        attributes.forEach((name, values) -> {
            JsonArrayBuilder a = Jsonp.JSON.createArrayBuilder();
            values.forEach(a::add);
            b.add(name, a);
        });
        return b.build().toString();
    }

    /** The document role-mapping paths read: {@link #attributesJson()} (OIDC claims as issued, or SAML attributes). */
    public String profileJson() {
        return attributesJson();
    }

    public String toJson() {
        JsonObjectBuilder b = Jsonp.JSON.createObjectBuilder()
                .add("protocol", protocol.name())
                .add("issuer", issuer)
                .add("subject", subject)
                .add("skewMillis", skewMillis)
                .add("attributes", Jsonp.JSON.createReader(new StringReader(attributesJson())).readObject());
        if (email != null) {
            b.add("email", email);
        }
        return b.build().toString();
    }

    public static IdpIdentity fromJson(String json) {
        JsonObject o = Jsonp.JSON.createReader(new StringReader(json)).readObject();
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : o.getJsonObject("attributes").entrySet()) {
            if (e.getValue() instanceof JsonArray array) {
                List<String> values = new ArrayList<>();
                array.forEach(v -> values.add(v.getValueType() == JsonValue.ValueType.STRING
                        ? ((jakarta.json.JsonString) v).getString() : v.toString()));
                attributes.put(e.getKey(), values);
            }
        }
        SsoProtocol protocol = SsoProtocol.valueOf(o.getString("protocol"));
        return new IdpIdentity(protocol, o.getString("issuer"), o.getString("subject"), o.getString("email", null),
                protocol == SsoProtocol.OIDC ? Map.of() : attributes, o.getJsonNumber("skewMillis").longValue(),
                protocol == SsoProtocol.OIDC ? o.getJsonObject("attributes").toString() : null);
    }
}
