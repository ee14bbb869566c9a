package org.hubsso.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
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

    @Test
    void csvHasAHeaderAndOneLinePerRecord() {
        String csv = AuditExport.csv(List.of(
                new AuditRow(7L, T, "sso.login", "failure", "email-mismatch", null, "=evil", "{\"detail\":\"x\"}"),
                new AuditRow(8L, T, "member.role", "success", null, "admin", "bob", null)));
        String[] lines = csv.split("\r\n");
        assertEquals("id,time,event,outcome,reason,actor,member,detail", lines[0]);
        assertEquals("\"7\",\"2026-11-23T10:15:30.123Z\",\"sso.login\",\"failure\",\"email-mismatch\",,\"'=evil\","
                + "\"{\"\"detail\"\":\"\"x\"\"}\"", lines[1]);
        assertEquals(3, lines.length);
    }

    @Test
    void jsonKeepsDetailsAsObjects() {
        String json = AuditExport.json(List.of(
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
