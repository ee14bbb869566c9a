package org.hubsso.hub;

public enum Visibility {
    PUBLIC, PRIVATE
}
