package org.hubsso.hub;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

@Entity
@Table(name = "organization")
public class Organization {

    private static final SecureRandom UIDS = new SecureRandom();

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @Column(nullable = false, length = 40)
    private String name;

    @Column(name = "name_key", nullable = false, length = 40)
    private String nameKey;

    /** Stable Organization ID: never changes, even when the organization is renamed. */
    @Column(name = "org_uid", nullable = false, length = 24, updatable = false)
    private String orgUid;

    @Column(name = "display_name", nullable = false, length = 100)
    private String displayName;

    @Enumerated(EnumType.STRING)
    @Column(name = "default_role", nullable = false, length = 16)
    private Role defaultRole;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Version
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    protected Organization() {
    }

    public Organization(String name, String orgUid, String displayName, Role defaultRole, Instant createdAt) {
        this.name = name;
        this.nameKey = name.toLowerCase(Locale.ROOT);
        this.orgUid = orgUid;
        this.displayName = displayName;
        this.defaultRole = defaultRole;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getOrgUid() {
        return orgUid;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public Role getDefaultRole() {
        return defaultRole;
    }

    public void setDefaultRole(Role defaultRole) {
        this.defaultRole = defaultRole;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /** A new Organization ID: 24 random hex digits, stable for the organization's life (its SSO URLs use it). */
    public static String newUid() {
        byte[] bytes = new byte[12];
        UIDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
