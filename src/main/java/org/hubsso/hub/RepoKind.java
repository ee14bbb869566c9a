package org.hubsso.hub;

public enum RepoKind {
    MODEL("model"), DATASET("dataset"), SPACE("space");

    private final String label;

    RepoKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
