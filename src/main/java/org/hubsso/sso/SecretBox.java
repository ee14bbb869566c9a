package org.hubsso.sso;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals short secrets (OIDC client secrets) for storage with AES-256-GCM from the JDK: a random 96-bit IV per
 * value, and the value's place (e.g. the organization's id) as associated data, so a sealed value copied to
 * another row does not open there. Format: {@code v1:} + base64(IV ‖ ciphertext ‖ tag).
 */
public final class SecretBox {

    public static final int KEY_BYTES = 32;
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secret key must have " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    public static byte[] newKey() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return k;
    }

    public String seal(String plaintext, String place) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, place);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @throws SealedValueException when the value was sealed with another key, for another place, or altered
     */
    public String open(String sealed, String place) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SealedValueException();
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (in.length <= IV_BYTES) {
                throw new SealedValueException();
            }
            byte[] iv = java.util.Arrays.copyOf(in, IV_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, iv, place);
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new SealedValueException();
        }
    }

    private Cipher cipher(int mode, byte[] iv, String place) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(place.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed value that does not open with this key and place; says nothing more on purpose. */
    public static final class SealedValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SealedValueException() {
            super("the sealed value does not open with this server's secret key", null, false, false);
        }
    }
}
