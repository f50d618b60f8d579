package com.revops.attribution.common;

import java.util.List;

import org.jboss.resteasy.reactive.RestResponse;

/** CSV export (RFC 4180: comma-separated, quoted when needed, CRLF line ends) for spreadsheets. */
public final class Csv {

    public static final String MEDIA_TYPE = "text/csv";

    private Csv() {
    }

    public static String of(List<String> header, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, header.stream().map(h -> (Object) h).toList());
        rows.forEach(r -> line(b, r));
        return b.toString();
    }

    public static RestResponse<Object> response(String filename, List<String> header, List<List<Object>> rows) {
        return RestResponse.ResponseBuilder.ok((Object) of(header, rows), MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").build();
    }

    private static void line(StringBuilder b, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Object c = cells.get(i);
            String s = c == null ? "" : c.toString();
            // a leading =, +, - or @ would be a formula in a spreadsheet
            if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(c instanceof Number)) {
                s = "'" + s;
            }
            if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            b.append(s);
        }
        b.append("\r\n");
    }
}
