package com.revops.feedback.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesOnlyWhatNeedsQuotingAndDefusesFormulas() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("Zoë Ünïcode", Csv.field("Zoë Ünïcode"));
        assertEquals("'=SUM(A1)", Csv.field("=SUM(A1)"));
        assertEquals("'+1 call", Csv.field("+1 call"));
        assertEquals("'@me", Csv.field("@me"));
        assertEquals("'-x", Csv.field("-x"));
        assertEquals("-42", Csv.field("-42"));
        assertEquals("42", Csv.field(42));
        assertEquals("", Csv.field(null));
    }

    @Test
    void lineBreaksAreQuotedAndRecordsEndWithCrlf() {
        assertEquals("\"two\r\nlines\",,3,true\r\n", Csv.row(Arrays.asList("two\r\nlines", null, 3, true)));
    }

    @Test
    void whatItWritesAStrictReaderReadsBack() {
        List<String> tricky = List.of("Zoë, \"Ünïcode\" GmbH", "line1\nline2", "", "日本語, テスト", "\"\"", "x");
        List<List<String>> parsed = CsvParser.parse(Csv.row(tricky) + Csv.row(List.of("a", "b", "c", "d", "e", "f")));
        assertEquals(2, parsed.size());
        assertEquals(tricky, parsed.get(0));
    }

    @Test
    void cursorRoundTripsAndRejectsForgeries() {
        Cursor c = new Cursor(java.time.Instant.parse("2026-11-23T10:15:30.123456Z"), java.util.UUID.randomUUID());
        assertEquals(c, Cursor.decode(c.encode()));
        org.junit.jupiter.api.Assertions.assertThrows(com.revops.platform.web.ProblemException.class,
                () -> Cursor.decode("not-a-cursor"));
    }

    @Test
    void teamsClaimIsReadInEveryShape() {
        assertEquals(java.util.Set.of("sdr-east"), Caller.teamsOf(List.of("sdr-east")));
        assertEquals(java.util.Set.of("sdr-east", "sdr-west"), Caller.teamsOf(List.of("/sdr-east", "\"sdr-west\"")));
        assertEquals(java.util.Set.of("sdr-east"), Caller.teamsOf("sdr-east"));
        assertEquals(java.util.Set.of(), Caller.teamsOf(null));
    }
}
