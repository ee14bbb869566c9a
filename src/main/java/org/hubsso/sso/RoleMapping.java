package org.hubsso.sso;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JakartaJsonProvider;
import com.jayway.jsonpath.TypeRef;
import com.jayway.jsonpath.spi.mapper.MappingException;
import com.jayway.jsonpath.spi.mapper.MappingProvider;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hubsso.hub.Role;
import org.hubsso.hub.ValidationException;

/**
 * An organization's IdP role mapping: a JSONPath into the IdP profile (one JSON document: OIDC claims as issued,
 * SAML attributes as {@code {"name": [values], "nameId": "..."}}) and a table IdP value to role. A path without
 * a leading {@code $} is read from the root ({@code groups} is {@code $.groups}). Single values and arrays
 * match; values match exactly (case-sensitive); several matches give the most privileged role; no match gives
 * the organization's default role. Pure and immutable.
 */
public final class RoleMapping {

    public static final int MAX_PATH = 500;
    public static final int MAX_VALUE = 500;
    public static final int MAX_ROWS = 100;

    /**
     * The server's Jakarta JSON implementation under JSONPath, so neither json-smart nor JSON-B is needed; values
     * are read as they are, never mapped to types.
     */
    private static final Configuration JSON = Configuration.builder().jsonProvider(new JakartaJsonProvider())
            .mappingProvider(new NoMapping()).options(EnumSet.noneOf(com.jayway.jsonpath.Option.class)).build();

    private static final class NoMapping implements MappingProvider {
        @Override
        public <T> T map(Object source, Class<T> targetType, Configuration configuration) {
            if (source == null || targetType.isInstance(source)) {
                return targetType.cast(source);
            }
            throw new MappingException("no type mapping");
        }

        @Override
        public <T> T map(Object source, TypeRef<T> targetType, Configuration configuration) {
            throw new MappingException("no type mapping");
        }
    }

    private final String pathText;
    private final JsonPath path;
    private final Map<String, Role> table;

    private RoleMapping(String pathText, JsonPath path, Map<String, Role> table) {
        this.pathText = pathText;
        this.path = path;
        this.table = Collections.unmodifiableMap(new TreeMap<>(table));
    }

    /** A mapping as stored (assumed valid); see {@link #validated} for input. */
    public static RoleMapping of(String path, Map<String, Role> table) {
        return new RoleMapping(path, compile("rolePath", path), table);
    }

    /** A mapping from an admin's input: a valid path, and at least one value mapped to admin. */
    public static RoleMapping validated(String path, Map<String, Role> table) {
        RoleMapping mapping = of(path, table);
        if (!table.containsValue(Role.ADMIN)) {
            throw new ValidationException("roleTable", "Map at least one IdP value to admin, or nobody could"
                    + " administer the organization through the IdP.");
        }
        return mapping;
    }

    /** Compiles a JSONPath, or explains why it is not one. */
    public static JsonPath compile(String field, String path) {
        String p = Fields.required(field, path, MAX_PATH, "Enter a JSON path into the IdP profile, e.g. groups or"
                + " resource_access.hub.roles.");
        try {
            return JsonPath.compile(p);
        } catch (InvalidPathException | IllegalArgumentException e) {
            String why = e.getMessage() == null ? "" : e.getMessage();
            throw new ValidationException(field, "Not a valid JSON path: " + p + (why.isEmpty() ? "" : " ("
                    + (why.length() > 200 ? why.substring(0, 200) + "…" : why) + ")") + ". Examples: groups,"
                    + " $.groups, resource_access.hub.roles.");
        }
    }

    /** Reads the mapping table from lines {@code IdP value = role}; blank lines are skipped. */
    public static Map<String, Role> parseTable(String field, String text) {
        Map<String, Role> table = new TreeMap<>();
        if (text == null) {
            return table;
        }
        String[] lines = text.split("\\r?\\n");
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            if (eq <= 0) {
                throw new ValidationException(field, "Line " + n + ": write IdP value = role, e.g. hub-admins = admin.");
            }
            String value = line.substring(0, eq).strip();
            Role role = Role.parse(line.substring(eq + 1));
            if (value.isEmpty() || role == null) {
                throw new ValidationException(field, "Line " + n + ": write IdP value = role, where role is read,"
                        + " contributor, write or admin.");
            }
            if (!Fields.isShortText(value, MAX_VALUE)) {
                throw new ValidationException(field, "Line " + n + ": use at most " + MAX_VALUE + " characters.");
            }
            if (table.put(value, role) != null) {
                throw new ValidationException(field, "Line " + n + ": " + value + " is mapped twice.");
            }
            if (table.size() > MAX_ROWS) {
                throw new ValidationException(field, "Use at most " + MAX_ROWS + " mappings.");
            }
        }
        return table;
    }

    /** The table as {@link #parseTable} reads it. */
    public static String formatTable(Map<String, Role> table) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(table).forEach((v, r) -> b.append(v).append(" = ").append(r.label()).append('\n'));
        return b.toString();
    }

    public String getPath() {
        return pathText;
    }

    public Map<String, Role> getTable() {
        return table;
    }

    /**
     * Whether the profile says the user's groups were left out for being too many: Entra ID's overage indicators,
     * {@code _claim_names.groups} or {@code hasgroups: true} in an ID token, and the attribute
     * {@code http://schemas.microsoft.com/claims/groups.link} in a SAML assertion. A mapping from groups would then
     * see none and give the default role, silently wrong; the sign-in is refused instead.
     */
    public static boolean groupsOverage(String profileJson) {
        if (profileJson == null || profileJson.isBlank()) {
            return false;
        }
        JsonObject profile;
        try {
            profile = org.hubsso.hub.Jsonp.JSON.createReader(new java.io.StringReader(profileJson)).readObject();
        } catch (RuntimeException notAnObject) {
            return false;
        }
        JsonValue names = profile.get("_claim_names");
        return names instanceof JsonObject o && o.containsKey("groups")
                || profile.get("hasgroups") == JsonValue.TRUE
                || profile.containsKey("http://schemas.microsoft.com/claims/groups.link");
    }

    /** What the path finds in a profile, and the role it yields. */
    public Result evaluate(String profileJson, Role defaultRole) {
        List<String> values = values(profileJson);
        Role best = null;
        for (String v : values) {
            Role r = table.get(v);
            if (r != null && (best == null || r.atLeast(best))) {
                best = r;
            }
        }
        return new Result(values, best, best != null ? best : defaultRole);
    }

    /** The values at the path: strings, numbers and booleans as text, arrays flattened; nothing when absent. */
    public List<String> values(String profileJson) {
        Object found;
        try {
            found = path.read(profileJson == null || profileJson.isBlank() ? "{}" : profileJson, JSON);
        } catch (PathNotFoundException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw new ValidationException("profile", "The profile is not a JSON object.");
        }
        List<String> out = new ArrayList<>();
        collect(found, out, 0);
        return out;
    }

    private static void collect(Object v, List<String> out, int depth) {
        if (v == null || v == JsonValue.NULL || out.size() >= 1000) {
            return;
        }
        if (v instanceof JsonString s) {
            out.add(s.getString());
        } else if (v instanceof JsonNumber n) {
            out.add(n.toString());
        } else if (v == JsonValue.TRUE || v == JsonValue.FALSE) {
            out.add(v.toString());
        } else if (v instanceof JsonObject || v instanceof Map) {
            return; // an object is not a value
        } else if (v instanceof JsonArray || v instanceof Iterable) {
            if (depth < 3) {
                for (Object item : (Iterable<?>) v) {
                    collect(item, out, depth + 1);
                }
            }
        } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            out.add(v.toString());
        }
    }

    /** The outcome of evaluating a mapping against one profile (a bean, for Faces EL). */
    public static final class Result {
        private final List<String> values;
        private final Role matched;
        private final Role role;

        Result(List<String> values, Role matched, Role role) {
            this.values = List.copyOf(values);
            this.matched = matched;
            this.role = role;
        }

        /** The values found at the path. */
        public List<String> getValues() {
            return values;
        }

        /** The most privileged mapped role among the values, or {@code null} when none is mapped. */
        public Role getMatched() {
            return matched;
        }

        /** The role the member gets: the matched one, else the default role. */
        public Role getRole() {
            return role;
        }

        public String getRoleLabel() {
            return role == null ? null : role.label();
        }

        public boolean isDefaulted() {
            return matched == null;
        }
    }
}
