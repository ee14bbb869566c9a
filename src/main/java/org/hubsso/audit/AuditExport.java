package org.hubsso.audit;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringReader;
import java.io.Writer;
import org.hubsso.hub.Jsonp;

/**
 * The audit log as CSV (RFC 4180, safe to open in a spreadsheet) or as a JSON array, written row by row as the rows
 * arrive: {@link #csv} or {@link #json} gives a writer of one format, which is given each batch of rows and closed
 * at the end. Nothing but the row being written is held, whatever the size of the export.
 *
 * <pre>{@code
 * try (AuditExport.RowWriter out = AuditExport.csv(writer)) {
 *     for (AuditRow row : rows) { out.write(row); }
 * }
 * }</pre>
 */
public final class AuditExport {

    static final String[] COLUMNS = {"id", "time", "event", "outcome", "reason", "actor", "member", "detail"};

    private AuditExport() {
    }

    /** Writes rows of one format; closing it ends the document (and closes nothing beneath it). */
    public interface RowWriter extends AutoCloseable {
        void write(AuditRow row) throws IOException;

        @Override
        void close() throws IOException;
    }

    public static RowWriter csv(Writer out) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write("\r\n");
        return new RowWriter() {
            @Override
            public void write(AuditRow r) throws IOException {
                String[] cells = {String.valueOf(r.getId()), r.getIsoTime(), r.getEvent(), r.getOutcome(),
                    r.getReason(), r.getActor(), r.getMember(), r.getDetail()};
                for (int i = 0; i < cells.length; i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(cell(cells[i]));
                }
                out.write("\r\n");
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
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

    public static RowWriter json(Writer out) {
        JsonGenerator json = Jsonp.JSON.createGeneratorFactory(null).createGenerator(new Unclosed(out));
        json.writeStartArray();
        return new RowWriter() {
            @Override
            public void write(AuditRow r) {
                json.writeStartObject().write("id", r.getId()).write("time", r.getIsoTime())
                        .write("event", r.getEvent()).write("outcome", r.getOutcome());
                add(json, "reason", r.getReason());
                add(json, "actor", r.getActor());
                add(json, "member", r.getMember());
                if (r.getDetail() == null) {
                    json.writeNull("detail");
                } else {
                    try {
                        json.write("detail", Jsonp.JSON.createReader(new StringReader(r.getDetail())).readObject());
                    } catch (JsonException | IllegalStateException e) {
                        json.write("detail", r.getDetail()); // cut at the size limit: kept as text
                    }
                }
                json.writeEnd();
            }

            @Override
            public void close() {
                json.writeEnd();
                json.close();
            }
        };
    }

    private static void add(JsonGenerator json, String name, String value) {
        if (value == null) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }

    /** The response's writer, flushed but never closed by the generator. */
    private static final class Unclosed extends java.io.FilterWriter {
        Unclosed(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
