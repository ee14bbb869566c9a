package org.hubsso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hubsso.hub.ValidationException;
import org.junit.jupiter.api.Test;

class AuditExportTest {

    static final Instant T = Instant.parse("2026-11-23T10:15:30.123456Z");

    @Test
    void csvQuotesEveryCellAndDefusesFormulas() {
        assertEquals("\"plain\"", AuditExport.cell("plain"));
        assertEquals("\"say \"\"hi\"\", ok\"", AuditExport.cell("say \"hi\", ok"));
        assertEquals("\"a\nb\"", AuditExport.cell("a\nb"));
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
            assertEquals("\"'" + formula.replace("\"", "\"\"") + "\"", AuditExport.cell(formula), formula);
        }
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\")\"", AuditExport.cell("=HYPERLINK(\"http://x\")"));
        assertEquals("", AuditExport.cell(null));
    }

    /** What a writer of the format writes for these rows, given one at a time. */
    private static String write(boolean csv, List<AuditRow> rows) throws IOException {
        StringWriter out = new StringWriter();
        try (AuditExport.RowWriter writer = csv ? AuditExport.csv(out) : AuditExport.json(out)) {
            for (AuditRow row : rows) {
                writer.write(row);
            }
        }
        return out.toString();
    }

    @Test
    void csvHasAHeaderAndOneLinePerRecord() throws IOException {
        String csv = write(true, List.of(
                new AuditRow(7L, T, "sso.login", "failure", "email-mismatch", null, "=evil", "{\"detail\":\"x\"}"),
                new AuditRow(8L, T, "member.role", "success", null, "admin", "bob", null)));
        String[] lines = csv.split("\r\n");
        assertEquals("id,time,event,outcome,reason,actor,member,detail", lines[0]);
        assertEquals("\"7\",\"2026-11-23T10:15:30.123Z\",\"sso.login\",\"failure\",\"email-mismatch\",,\"'=evil\","
                + "\"{\"\"detail\"\":\"\"x\"\"}\"", lines[1]);
        assertEquals(3, lines.length);
    }

    @Test
    void emptyExportsAreWholeDocuments() throws IOException {
        assertEquals("id,time,event,outcome,reason,actor,member,detail\r\n", write(true, List.of()));
        assertEquals(0, Json.createReader(new StringReader(write(false, List.of()))).readArray().size());
    }

    @Test
    void cursorsRoundTripAndGarbageIsNone() {
        Audit.Cursor c = new Audit.Cursor(T, 42);
        assertEquals(Optional.of(c), Audit.Cursor.parse(c.toString()));
        for (String garbage : new String[] {"", "_", "42", "2026-11-23_x", "not-a-cursor", "_42"}) {
            assertEquals(Optional.empty(), Audit.Cursor.parse(garbage), garbage);
        }
        assertEquals(Optional.empty(), Audit.Cursor.parse(null));
    }

    @Test
    void jsonKeepsDetailsAsObjects() throws IOException {
        String json = write(false, List.of(
                new AuditRow(7L, T, "sso.settings", "success", null, "admin", "admin",
                        "{\"idpIssuer\":\"a -> b\"}"),
                new AuditRow(8L, T, "sso.login", "failure", "replayed", null, null, "{\"cut")));
        JsonArray array = Json.createReader(new StringReader(json)).readArray();
        assertEquals("a -> b", array.getJsonObject(0).getJsonObject("detail").getString("idpIssuer"));
        assertEquals("{\"cut", array.getJsonObject(1).getString("detail"), "a cut detail stays text");
        assertTrue(array.getJsonObject(1).isNull("actor"));
        assertEquals("2026-11-23T10:15:30.123Z", array.getJsonObject(0).getString("time"));
    }

    @Test
    void timeRangeAcceptsDatesAndTimesInUtc() {
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), AuditLog.instant("from", "2026-11-23", false));
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), AuditLog.instant("to", "2026-11-23", true),
                "a day that ends the range counts whole");
        assertEquals(Instant.parse("2026-11-23T10:15:00Z"), AuditLog.instant("to", "2026-11-23T10:15", true));
        assertEquals("from", assertThrows(ValidationException.class,
                () -> AuditLog.instant("from", "yesterday", false)).getField());
    }
}
