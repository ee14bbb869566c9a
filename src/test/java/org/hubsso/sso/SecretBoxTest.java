package org.hubsso.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    final SecretBox box = new SecretBox(SecretBox.newKey());

    @Test
    void opensWhatItSealedForTheSamePlace() {
        String sealed = box.seal("s3cret-value", "org:1");
        assertFalse(sealed.contains("s3cret"));
        assertEquals("s3cret-value", box.open(sealed, "org:1"));
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        assertNotEquals(box.seal("same", "org:1"), box.seal("same", "org:1"));
    }

    @Test
    void aValueCopiedToAnotherPlaceDoesNotOpen() {
        String sealed = box.seal("s3cret", "org:1");
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(sealed, "org:2"));
    }

    @Test
    void anotherKeyOrAnAlteredValueDoesNotOpen() {
        String sealed = box.seal("s3cret", "org:1");
        assertThrows(SecretBox.SealedValueException.class,
                () -> new SecretBox(SecretBox.newKey()).open(sealed, "org:1"));
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThrows(SecretBox.SealedValueException.class, () -> box.open(altered, "org:1"));
        assertThrows(SecretBox.SealedValueException.class, () -> box.open("s3cret", "org:1"));
        assertThrows(SecretBox.SealedValueException.class, () -> box.open("v1:AAAA", "org:1"));
        assertThrows(SecretBox.SealedValueException.class, () -> box.open("v1:not base64!", "org:1"));
    }

    @Test
    void refusesKeysOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(new byte[16]));
    }
}
