package org.hubsso.hub;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Locale;

/** A model, dataset or space repository under {@code /{org}/{name}}. */
@Entity
@Table(name = "repository")
public class Repo {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hub_seq")
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "org_id", nullable = false)
    private Organization organization;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RepoKind kind;

    @Column(nullable = false, length = 96)
    private String name;

    @Column(name = "name_key", nullable = false, length = 96)
    private String nameKey;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Visibility visibility;

    @Column(nullable = false, length = 20000)
    private String readme;

    @ManyToOne
    @JoinColumn(name = "created_by")
    private Account createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Version
    @Column(name = "row_version", nullable = false)
    private long rowVersion;

    protected Repo() {
    }

    public Repo(Organization organization, RepoKind kind, String name, Visibility visibility, String readme,
            Account createdBy, Instant createdAt) {
        this.organization = organization;
        this.kind = kind;
        this.name = name;
        this.nameKey = name.toLowerCase(Locale.ROOT);
        this.visibility = visibility;
        this.readme = readme;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public Organization getOrganization() {
        return organization;
    }

    public RepoKind getKind() {
        return kind;
    }

    public String getName() {
        return name;
    }

    public Visibility getVisibility() {
        return visibility;
    }

    public boolean isPrivate() {
        return visibility == Visibility.PRIVATE;
    }

    public String getReadme() {
        return readme;
    }

    public Account getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getPath() {
        return organization.getName() + "/" + name;
    }
}
