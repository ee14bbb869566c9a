package org.hubsso.hub;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An email address of an account. Unverified, it is only a claim: several accounts may claim an address, nobody may
 * sign in with it, and it blocks nobody. Verified, it is the account's: no other account may verify or add it.
 */
@Entity
@Table(name = "account_email")
public class AccountEmail {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "account_id", nullable = false)
    private Account account;

    @Column(nullable = false, length = 254)
    private String address;

    @Column(name = "address_key", nullable = false, length = 254)
    private String addressKey;

    @Column(nullable = false)
    private boolean verified;

    /** The address key while verified, else {@code null}: unique, so one account at most owns an address. */
    @Column(name = "verified_key", length = 254)
    private String verifiedKey;

    @Column(name = "primary_email", nullable = false)
    private boolean primary;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected AccountEmail() {
    }

    public AccountEmail(Account account, String address, boolean verified, boolean primary, Instant createdAt) {
        this.account = account;
        this.address = address;
        this.addressKey = Names.emailKey(address);
        this.verified = verified;
        this.verifiedKey = verified ? addressKey : null;
        this.primary = primary;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public Account getAccount() {
        return account;
    }

    public String getAddress() {
        return address;
    }

    public boolean isVerified() {
        return verified;
    }

    /** Verified: the address is this account's, and no other account may verify it. */
    public void setVerified(boolean verified) {
        this.verified = verified;
        this.verifiedKey = verified ? addressKey : null;
    }

    /** The comparison key of the address ({@link Names#emailKey}). */
    public String getAddressKey() {
        return addressKey;
    }

    public boolean isPrimary() {
        return primary;
    }

    public void setPrimary(boolean primary) {
        this.primary = primary;
    }
}
