package org.hubsso.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MailMessageTest {

    @Test
    void keepsAWellFormedMessage() {
        MailMessage m = new MailMessage(" ada@example.org ", " Verify your email ", "Hello\nhttps://hub/x\n");
        assertEquals("ada@example.org", m.to());
        assertEquals("Verify your email", m.subject());
        assertEquals("Hello\nhttps://hub/x\n", m.text());
        assertNull(m.html());
        assertEquals("<p>Hello</p>", m.withHtml("<p>Hello</p>").html());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "ada", "ada@", "@example.org", "Ada <ada@example.org>", "ada@example.org, bob@example.org",
        "ada@example.org\r\nBcc: eve@example.org", "ada@exa mple.org", "group: ada@example.org;"})
    void refusesAnythingButOneBareAddress(String to) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MailMessage(to, "Subject", "Body"));
        assertTrue(e.getMessage().contains("recipient") || e.getMessage().contains("address"), e.getMessage());
    }

    @Test
    void refusesAnOverlongAddress() {
        String to = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".org";
        assertThrows(IllegalArgumentException.class, () -> new MailMessage(to, "Subject", "Body"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Line\r\nBcc: eve@example.org", "Tab\there"})
    void refusesASubjectThatIsNotOneLine(String subject) {
        assertThrows(IllegalArgumentException.class, () -> new MailMessage("ada@example.org", subject, "Body"));
    }

    @Test
    void refusesEmptyAndOverlongBodies() {
        assertThrows(IllegalArgumentException.class, () -> new MailMessage("ada@example.org", "S", " \n"));
        assertThrows(IllegalArgumentException.class, () -> new MailMessage("ada@example.org", "S", null));
        String huge = "x".repeat(MailMessage.BODY_MAX + 1);
        assertThrows(IllegalArgumentException.class, () -> new MailMessage("ada@example.org", "S", huge));
        assertThrows(IllegalArgumentException.class,
                () -> new MailMessage("ada@example.org", "S", "text").withHtml(huge));
        assertEquals(MailMessage.BODY_MAX, new MailMessage("ada@example.org", "S", huge.substring(1)).text().length());
    }

    @Test
    void toStringLeavesOutTheBodies() {
        String s = new MailMessage("ada@example.org", "Reset", "https://hub/reset?token=SECRET1")
                .withHtml("<a href='https://hub/reset?token=SECRET2'>reset</a>").toString();
        assertTrue(s.contains("ada@example.org") && s.contains("Reset"), s);
        assertFalse(s.contains("SECRET"), s);
    }
}
