package org.hubsso.audit;

import org.hubsso.hub.Jsonp;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import java.io.StringReader;
import java.util.List;

/** The audit log as CSV (RFC 4180, safe to open in a spreadsheet) or as a JSON array. */
public final class AuditExport {

    static final String[] COLUMNS = {"id", "time", "event", "outcome", "reason", "actor", "member", "detail"};

    private AuditExport() {
    }

    public static String csv(List<AuditRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", COLUMNS)).append("\r\n");
        for (AuditRow r : rows) {
            String[] cells = {String.valueOf(r.getId()), r.getIsoTime(), r.getEvent(), r.getOutcome(), r.getReason(),
                r.getActor(), r.getMember(), r.getDetail()};
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(cell(cells[i]));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /**
     * One CSV cell: quoted, quotes doubled; a cell a spreadsheet would read as a formula (starting with = + - @,
     * or a tab or carriage return) gets a leading apostrophe.
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = value;
        char c = v.charAt(0);
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    public static String json(List<AuditRow> rows) {
        JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
        for (AuditRow r : rows) {
            JsonObjectBuilder o = Jsonp.JSON.createObjectBuilder().add("id", r.getId()).add("time", r.getIsoTime())
                    .add("event", r.getEvent()).add("outcome", r.getOutcome());
            add(o, "reason", r.getReason());
            add(o, "actor", r.getActor());
            add(o, "member", r.getMember());
            if (r.getDetail() == null) {
                o.addNull("detail");
            } else {
                try {
                    o.add("detail", Jsonp.JSON.createReader(new StringReader(r.getDetail())).readObject());
                } catch (JsonException | IllegalStateException e) {
                    o.add("detail", r.getDetail()); // cut at the size limit: kept as text
                }
            }
            array.add(o);
        }
        return array.build().toString();
    }

    private static void add(JsonObjectBuilder o, String name, String value) {
        if (value == null) {
            o.addNull(name);
        } else {
            o.add(name, value);
        }
    }
}
