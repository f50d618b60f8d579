package com.revops.feedback.web;

import java.util.List;

/**
 * RFC 4180 CSV: fields with a comma, a double quote, CR or LF are quoted and their quotes doubled; records end with
 * CRLF. Text that a spreadsheet would run as a formula ({@code =}, {@code +}, {@code @}, or {@code -} not followed by
 * a digit) gets a leading apostrophe, so a note typed by a rep cannot execute in marketing's spreadsheet. Plain Java.
 */
public final class Csv {

    private Csv() {
    }

    /** One record, CRLF included. Nulls are empty fields. */
    public static String row(List<?> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(fields.get(i)));
        }
        return sb.append("\r\n").toString();
    }

    /** One field, quoted when needed. Numbers and booleans are written as they are. */
    public static String field(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String s = neutralise(value.toString());
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static String neutralise(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        boolean formula = c == '=' || c == '+' || c == '@' || c == '\t' || c == '\r'
                || (c == '-' && (s.length() == 1 || !Character.isDigit(s.charAt(1))));
        return formula ? "'" + s : s;
    }
}
