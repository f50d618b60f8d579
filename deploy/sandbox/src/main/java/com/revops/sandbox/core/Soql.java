package com.revops.sandbox.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The SOQL subset the gateway and the scenario send, parsed and run against {@link SalesforceStore}:
 * {@code SELECT f, ... | COUNT() FROM Object [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
 * [LIMIT n] [OFFSET n]}, where a condition combines {@code field op value} with AND, OR, NOT and parentheses;
 * operators {@code = != <> < <= > >= LIKE IN NOT IN}; values are quoted strings, numbers, true/false/null, date and
 * datetime literals, and TODAY / YESTERDAY / LAST_N_DAYS:n. Ids compare in their 15- and 18-character forms alike,
 * strings without case, as Salesforce does. Unknown fields answer INVALID_FIELD, bad syntax MALFORMED_QUERY. Plain
 * Java.
 */
public final class Soql {

    /** A parsed query. {@code fields} is empty for COUNT(). */
    public record Query(String sobject, List<String> fields, boolean count, Predicate<Map<String, Object>> where,
            List<Order> orderBy, Integer limit, Integer offset) {
    }

    /** One ORDER BY term. */
    public record Order(String field, boolean descending, boolean nullsLast) {
    }

    private final String text;
    private final long now;
    private final List<String> tokens;
    private int pos;
    private String sobject;

    private Soql(String text, long now) {
        this.text = text;
        this.now = now;
        this.tokens = tokenize(text);
    }

    /** Parses {@code soql}; {@code now} anchors TODAY and LAST_N_DAYS. */
    public static Query parse(String soql, long now) {
        if (soql == null || soql.isBlank()) {
            throw malformed("empty query");
        }
        return new Soql(soql, now).query();
    }

    /** Runs a parsed query: the matching records, ordered, after OFFSET and LIMIT. */
    public static List<Map<String, Object>> run(Query q, List<Map<String, Object>> records) {
        List<Map<String, Object>> rows = new ArrayList<>(records.stream().filter(q.where()).toList());
        if (!q.orderBy().isEmpty()) {
            Comparator<Map<String, Object>> c = null;
            for (Order o : q.orderBy()) {
                Comparator<Map<String, Object>> next = (a, b) -> {
                    Object x = a.get(o.field());
                    Object y = b.get(o.field());
                    if (x == null || y == null) {
                        if (x == y) {
                            return 0;
                        }
                        // nulls first unless NULLS LAST; the direction does not move them
                        int nullOrder = x == null ? -1 : 1;
                        return (o.nullsLast() ? -nullOrder : nullOrder) * (o.descending() ? -1 : 1);
                    }
                    return compare(x, y);
                };
                next = o.descending() ? next.reversed() : next;
                c = c == null ? next : c.thenComparing(next);
            }
            rows.sort(c);
        }
        int from = q.offset() == null ? 0 : Math.min(q.offset(), rows.size());
        int to = q.limit() == null ? rows.size() : Math.min(rows.size(), from + q.limit());
        return rows.subList(from, to);
    }

    private Query query() {
        expect("SELECT");
        List<String> fields = new ArrayList<>();
        boolean count = false;
        if (peekIs("COUNT")) {
            next();
            expect("(");
            expect(")");
            count = true;
        } else {
            do {
                fields.add(next());
            } while (acceptSymbol(","));
        }
        expect("FROM");
        sobject = canonicalObject(next());
        if (!SalesforceStore.knownObject(sobject)) {
            throw SalesforceErrors.error(400, "INVALID_TYPE", "sObject type '" + sobject + "' is not supported.");
        }
        List<String> canonical = new ArrayList<>();
        for (String f : fields) {
            canonical.add(field(f));
        }
        Predicate<Map<String, Object>> where = r -> true;
        if (acceptWord("WHERE")) {
            where = disjunction();
        }
        List<Order> order = new ArrayList<>();
        if (acceptWord("ORDER")) {
            expect("BY");
            do {
                String f = field(next());
                boolean desc = false;
                if (acceptWord("DESC")) {
                    desc = true;
                } else {
                    acceptWord("ASC");
                }
                boolean nullsLast = desc;
                if (acceptWord("NULLS")) {
                    nullsLast = acceptWord("LAST");
                    if (!nullsLast) {
                        expect("FIRST");
                    }
                }
                order.add(new Order(f, desc, nullsLast));
            } while (acceptSymbol(","));
        }
        Integer limit = null;
        Integer offset = null;
        if (acceptWord("LIMIT")) {
            limit = integer(next());
        }
        if (acceptWord("OFFSET")) {
            offset = integer(next());
            if (offset > 2000) {
                throw SalesforceErrors.error(400, "NUMBER_OUTSIDE_VALID_RANGE",
                        "Maximum SOQL offset allowed is 2000");
            }
        }
        if (pos < tokens.size()) {
            throw malformed("unexpected token: " + tokens.get(pos));
        }
        return new Query(sobject, canonical, count, where, order, limit, offset);
    }

    private Predicate<Map<String, Object>> disjunction() {
        Predicate<Map<String, Object>> p = conjunction();
        while (acceptWord("OR")) {
            p = p.or(conjunction());
        }
        return p;
    }

    private Predicate<Map<String, Object>> conjunction() {
        Predicate<Map<String, Object>> p = unary();
        while (acceptWord("AND")) {
            p = p.and(unary());
        }
        return p;
    }

    private Predicate<Map<String, Object>> unary() {
        if (acceptWord("NOT")) {
            return unary().negate();
        }
        if (acceptSymbol("(")) {
            Predicate<Map<String, Object>> p = disjunction();
            expect(")");
            return p;
        }
        return condition();
    }

    private Predicate<Map<String, Object>> condition() {
        String f = field(next());
        String op = next().toUpperCase(Locale.ROOT);
        if ("NOT".equals(op)) {
            expect("IN");
            List<Object> values = list();
            return r -> values.stream().noneMatch(v -> equal(r.get(f), v));
        }
        if ("IN".equals(op)) {
            List<Object> values = list();
            return r -> values.stream().anyMatch(v -> equal(r.get(f), v));
        }
        if ("<".equals(op) || ">".equals(op) || "!".equals(op)) {
            if (acceptSymbol("=")) {
                op = op + "=";
            } else if ("<".equals(op) && acceptSymbol(">")) {
                op = "!=";
            }
        }
        Object value = value();
        return switch (op) {
            case "=" -> r -> equal(r.get(f), value);
            case "!=", "<>" -> r -> !equal(r.get(f), value);
            case "<" -> r -> r.get(f) != null && value != null && compare(r.get(f), value) < 0;
            case "<=" -> r -> r.get(f) != null && value != null && compare(r.get(f), value) <= 0;
            case ">" -> r -> r.get(f) != null && value != null && compare(r.get(f), value) > 0;
            case ">=" -> r -> r.get(f) != null && value != null && compare(r.get(f), value) >= 0;
            case "LIKE" -> {
                String regex = "(?i)" + String.valueOf(value).replace(".", "\\.").replace("%", ".*")
                        .replace("_", ".");
                yield r -> r.get(f) != null && String.valueOf(r.get(f)).matches(regex);
            }
            default -> throw malformed("unknown operator " + op);
        };
    }

    private List<Object> list() {
        expect("(");
        List<Object> values = new ArrayList<>();
        do {
            values.add(value());
        } while (acceptSymbol(","));
        expect(")");
        return values;
    }

    private Object value() {
        String t = next();
        if (t.startsWith("'")) {
            return t.substring(1, t.length() - 1);
        }
        String upper = t.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "NULL":
                return null;
            case "TRUE":
                return Boolean.TRUE;
            case "FALSE":
                return Boolean.FALSE;
            case "TODAY":
                return today().toString();
            case "YESTERDAY":
                return today().minusDays(1).toString();
            default:
                break;
        }
        if (upper.startsWith("LAST_N_DAYS:")) {
            return today().minusDays(integer(t.substring(12))).toString();
        }
        if (t.matches("-?\\d+(\\.\\d+)?")) {
            return Double.valueOf(t);
        }
        if (t.matches("\\d{4}-\\d\\d-\\d\\d")) {
            return t;
        }
        Instant at = SalesforceStore.instant(t.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
        if (at != null) {
            return at;
        }
        throw malformed("unexpected value " + t);
    }

    private LocalDate today() {
        return Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private String field(String f) {
        if (!f.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw malformed("not a field: " + f);
        }
        for (String known : SalesforceStore.fields(sobject)) {
            if (known.equalsIgnoreCase(f)) {
                return known;
            }
        }
        if (f.toLowerCase(Locale.ROOT).endsWith("__c")) {
            return f;
        }
        throw SalesforceErrors.error(400, "INVALID_FIELD", "\n" + text + "\n^\nERROR at Row:1:Column:1\n"
                + "No such column '" + f + "' on entity '" + sobject + "'. If you are attempting to use a custom "
                + "field, be sure to append the '__c' after the custom field name.");
    }

    private static String canonicalObject(String name) {
        for (String known : SalesforceIds.PREFIXES.keySet()) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return name;
    }

    static boolean equal(Object stored, Object value) {
        if (stored == null || value == null) {
            return stored == null && value == null;
        }
        String a = String.valueOf(stored);
        String b = String.valueOf(value);
        if ((a.length() == 15 || a.length() == 18) && (b.length() == 15 || b.length() == 18)
                && SalesforceIds.sobjectOf(a) != null && SalesforceIds.same(a, b)) {
            return true;
        }
        return compare(stored, value) == 0;
    }

    /** Datetimes by instant, numbers by value, booleans and text without case. */
    static int compare(Object stored, Object value) {
        Instant x = value instanceof Instant i ? i : null;
        if (x != null || stored instanceof String s && SalesforceStore.instant(s) != null
                && value instanceof String v && SalesforceStore.instant(v) != null) {
            Instant a = SalesforceStore.instant(String.valueOf(stored));
            Instant b = x != null ? x : SalesforceStore.instant(String.valueOf(value));
            if (a != null && b != null) {
                return a.compareTo(b);
            }
        }
        if (stored instanceof Number || value instanceof Number) {
            try {
                return Double.compare(Double.parseDouble(String.valueOf(stored)),
                        Double.parseDouble(String.valueOf(value)));
            } catch (NumberFormatException e) {
                // fall through to text
            }
        }
        return String.valueOf(stored).compareToIgnoreCase(String.valueOf(value));
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (i < s.length() && s.charAt(i) != '\'') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw malformed("unterminated string");
                }
                i++;
                out.add(b.append('\'').toString());
            } else if ("(),=<>!".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "(),=<>!'".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw malformed("unexpected end of query");
        }
        return tokens.get(pos++);
    }

    private boolean peekIs(String word) {
        return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
    }

    private boolean acceptWord(String word) {
        if (peekIs(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        return acceptWord(symbol);
    }

    private void expect(String word) {
        if (!acceptWord(word)) {
            throw malformed("expected " + word + (pos < tokens.size() ? " but found " + tokens.get(pos) : ""));
        }
    }

    private static int integer(String t) {
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw malformed("not a number: " + t);
        }
    }

    private static ApiException malformed(String why) {
        return SalesforceErrors.error(400, "MALFORMED_QUERY", why);
    }
}
