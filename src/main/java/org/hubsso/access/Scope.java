package org.hubsso.access;

/** What part of an organization's namespace a guarded method touches. */
public enum Scope {
    /** The organization itself (its page, its public listing): public to everyone. */
    ORG,
    /** One repository: public or private according to the repository's visibility. */
    REPO,
    /** Members-only parts: settings, member lists. */
    MEMBERS
}
