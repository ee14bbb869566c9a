package org.hubsso.sso;

import jakarta.json.Json;
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

/**
 * Who the IdP says the user is, after a protocol adapter validated its answer: the common input of the SSO
 * pipeline for SAML and OIDC alike.
 *
 * @param issuer the IdP's issuer / entity ID
 * @param subject the IdP's subject (SAML NameID, OIDC sub)
 * @param email the email the IdP vouches for, or {@code null}
 * @param attributes the IdP profile: SAML attributes as name to values (plus {@code nameId})
 * @param skewMillis measured difference between the IdP's issue instant and this server's clock
 * @param claimsJson the OIDC claims as issued (one JSON object), or {@code null} for SAML
 */
public record IdpIdentity(SsoProtocol protocol, String issuer, String subject, String email,
        Map<String, List<String>> attributes, long skewMillis, String claimsJson) {

    public IdpIdentity {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An identity without OIDC claims (SAML). */
    public IdpIdentity(SsoProtocol protocol, String issuer, String subject, String email,
            Map<String, List<String>> attributes, long skewMillis) {
        this(protocol, issuer, subject, email, attributes, skewMillis, null);
    }

    /**
     * The IdP profile as one JSON document, what role-mapping paths read: the OIDC claims as issued when there are
     * any, else the attributes as {@code {"nameId": "...", "name": ["v1", "v2"], ...}}.
     */
    public String profileJson() {
        return claimsJson != null ? claimsJson : attributesJson();
    }

    /** The profile as one JSON document: {@code {"nameId": "...", "attr": ["v1", "v2"], ...}}. */
    public String attributesJson() {
        JsonObjectBuilder b = Json.createObjectBuilder();
        if (protocol == SsoProtocol.SAML && subject != null) {
            b.add("nameId", subject);
        }
        attributes.forEach((name, values) -> {
            JsonArrayBuilder a = Json.createArrayBuilder();
            values.forEach(a::add);
            b.add(name, a);
        });
        return b.build().toString();
    }

    public String toJson() {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("protocol", protocol.name())
                .add("issuer", issuer)
                .add("subject", subject)
                .add("skewMillis", skewMillis)
                .add("attributes", Json.createReader(new StringReader(attributesJson())).readObject());
        if (email != null) {
            b.add("email", email);
        }
        if (claimsJson != null) {
            b.add("claims", Json.createReader(new StringReader(claimsJson)).readObject());
        }
        return b.build().toString();
    }

    public static IdpIdentity fromJson(String json) {
        JsonObject o = Json.createReader(new StringReader(json)).readObject();
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : o.getJsonObject("attributes").entrySet()) {
            if (e.getValue() instanceof JsonArray array) {
                List<String> values = new ArrayList<>();
                array.forEach(v -> values.add(v.getValueType() == JsonValue.ValueType.STRING
                        ? ((jakarta.json.JsonString) v).getString() : v.toString()));
                attributes.put(e.getKey(), values);
            }
        }
        return new IdpIdentity(SsoProtocol.valueOf(o.getString("protocol")), o.getString("issuer"),
                o.getString("subject"), o.getString("email", null), attributes,
                o.getJsonNumber("skewMillis").longValue(),
                o.containsKey("claims") ? o.getJsonObject("claims").toString() : null);
    }
}
