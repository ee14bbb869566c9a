package org.hubsso.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one walk down an exception's causes: at most {@value #MAX_DEPTH} deep, and safe against a cause that is the
 * exception itself (a cycle), as libraries sometimes build them.
 */
public final class Causes {

    static final int MAX_DEPTH = 20;

    private Causes() {
    }

    /** The exception and its causes, outermost first. */
    public static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < MAX_DEPTH && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** The outermost exception of this type in the chain. */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        return chain(e).stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The innermost cause (the exception itself when it has none). */
    public static Throwable root(Throwable e) {
        List<Throwable> chain = chain(e);
        return chain.isEmpty() ? e : chain.get(chain.size() - 1);
    }
}
