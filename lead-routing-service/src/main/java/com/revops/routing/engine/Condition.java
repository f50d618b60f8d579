package com.revops.routing.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A test on a lead's attributes. Attribute names are the canonical lead fields ({@code country}, {@code region},
 * {@code companySize}, {@code industry}, {@code source}, {@code channel}, {@code intentTier}, {@code score}, ...)
 * and {@code custom.<name>} for custom fields. String comparisons ignore case; a missing attribute never equals,
 * never is in a list, never is in a range and never matches a pattern.
 */
public sealed interface Condition {

    boolean test(Map<String, Object> attributes);

    /** A readable form for traces and validation messages. */
    String describe();

    record Eq(String field, String value) implements Condition {
        public Eq {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            Object actual = attributes.get(field);
            return actual != null && text(actual).equalsIgnoreCase(value);
        }

        @Override
        public String describe() {
            return field + " = " + value;
        }
    }

    record In(String field, List<String> values) implements Condition {
        public In {
            Objects.requireNonNull(field, "field");
            values = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            Object actual = attributes.get(field);
            return actual != null && values.contains(text(actual).toLowerCase(Locale.ROOT));
        }

        @Override
        public String describe() {
            return field + " in " + values;
        }
    }

    /** Numeric range, {@code min} inclusive and {@code max} exclusive; either bound may be absent. */
    record Range(String field, BigDecimal min, BigDecimal max) implements Condition {
        public Range {
            Objects.requireNonNull(field, "field");
            if (min == null && max == null) {
                throw new IllegalArgumentException("range on " + field + " needs min or max");
            }
            if (min != null && max != null && min.compareTo(max) >= 0) {
                throw new IllegalArgumentException("range on " + field + ": min must be below max");
            }
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            BigDecimal actual = number(attributes.get(field));
            return actual != null && (min == null || actual.compareTo(min) >= 0)
                    && (max == null || actual.compareTo(max) < 0);
        }

        @Override
        public String describe() {
            return field + " in [" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + ")";
        }
    }

    /** Full-match regular expression, case-insensitive. */
    record Regex(String field, Pattern pattern) implements Condition {
        public static Regex of(String field, String regex) {
            return new Regex(field, Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }

        @Override
        public boolean test(Map<String, Object> attributes) {
            Object actual = attributes.get(field);
            return actual != null && pattern.matcher(text(actual)).matches();
        }

        @Override
        public String describe() {
            return field + " ~ /" + pattern.pattern() + "/";
        }
    }

    record Exists(String field) implements Condition {
        @Override
        public boolean test(Map<String, Object> attributes) {
            Object actual = attributes.get(field);
            return actual != null && !text(actual).isBlank();
        }

        @Override
        public String describe() {
            return field + " exists";
        }
    }

    record And(List<Condition> all) implements Condition {
        @Override
        public boolean test(Map<String, Object> attributes) {
            for (Condition c : all) {
                if (!c.test(attributes)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String describe() {
            return all.stream().map(Condition::describe).collect(Collectors.joining(" and ", "(", ")"));
        }
    }

    record Or(List<Condition> any) implements Condition {
        @Override
        public boolean test(Map<String, Object> attributes) {
            for (Condition c : any) {
                if (c.test(attributes)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return any.stream().map(Condition::describe).collect(Collectors.joining(" or ", "(", ")"));
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public boolean test(Map<String, Object> attributes) {
            return !inner.test(attributes);
        }

        @Override
        public String describe() {
            return "not " + inner.describe();
        }
    }

    /** Matches every lead; the condition of a catch-all rule. */
    record Always() implements Condition {
        @Override
        public boolean test(Map<String, Object> attributes) {
            return true;
        }

        @Override
        public String describe() {
            return "always";
        }
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static BigDecimal number(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        try {
            return new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
