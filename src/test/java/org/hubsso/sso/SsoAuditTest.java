package org.hubsso.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SsoAuditTest {

    @Test
    void secretsInASettingsDiffAreRedacted() {
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("clientSecret", "s3cret-old -> s3cret-new");
        diff.put("idpIssuer", "a -> b");
        diff.put("accessToken", "eyJ...");
        String json = SsoAudit.json(diff);
        assertEquals("{\"clientSecret\":\"[redacted]\",\"idpIssuer\":\"a -> b\",\"accessToken\":\"[redacted]\"}", json);
        assertFalse(json.contains("s3cret"));
    }
}
