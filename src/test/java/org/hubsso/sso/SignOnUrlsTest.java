package org.hubsso.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.hubsso.hub.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignOnUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://idp.example.com/sso/saml", "https://login.microsoftonline.com/t/saml2",
        "http://localhost:8081/realms/acme/protocol/saml", "http://127.0.0.1:9000/sso", "http://kc.localhost/x"})
    void acceptsHttpsAndLocalHttp(String url) {
        assertEquals(url, SignOnUrls.require("url", url).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://idp.example.com/sso", "ftp://idp.example.com/", "javascript:alert(1)",
        "idp.example.com/sso", "https://user:pw@idp.example.com/", "https:///nohost", "https://idp.example.com/#x",
        "", " ", "https://exa mple.com/"})
    void rejectsEverythingElse(String url) {
        assertThrows(ValidationException.class, () -> SignOnUrls.require("url", url));
    }
}
