package org.hubsso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditTest {

    @Test
    void secretsInASettingsDiffAreRedacted() {
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("clientSecret", "s3cret-old -> s3cret-new");
        diff.put("idpIssuer", "a -> b");
        diff.put("accessToken", "eyJ...");
        String json = Audit.json(diff);
        assertEquals("{\"clientSecret\":\"[redacted]\",\"idpIssuer\":\"a -> b\",\"accessToken\":\"[redacted]\"}", json);
        assertFalse(json.contains("s3cret"));
    }

    /** A long value (an IdP's long detail, a huge certificate subject) is cut, and the record stays whole JSON. */
    @Test
    void longValuesAreCutBeforeTheJsonIsBuilt() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("detail", "x".repeat(20_000));
        detail.put("quotes", "\"".repeat(5_000));
        detail.put("controls", "\u0001".repeat(5_000));
        detail.put("skewMillis", 42);
        String json = Audit.json(detail);
        assertTrue(json.length() <= Audit.MAX_DETAIL, "fits its column: " + json.length());
        jakarta.json.JsonObject parsed = org.hubsso.hub.Jsonp.JSON.createReader(new java.io.StringReader(json)).readObject();
        assertTrue(parsed.getString("detail").endsWith("… (cut)"));
        assertEquals(42, parsed.getInt("skewMillis"), "every key is kept");
        assertTrue(parsed.containsKey("quotes") && parsed.containsKey("controls"));
    }
}
