package com.revops.routing.rules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.platform.web.Problem;
import com.revops.routing.engine.Action;
import com.revops.routing.engine.Condition;
import com.revops.routing.engine.Rule;
import com.revops.routing.engine.RuleSet;

/**
 * Reads a rule set's JSON definition into the engine's types, collecting every structural problem instead of
 * stopping at the first. The format:
 *
 * <pre>
 * {"fallbackQueue": "triage", "routeDuplicatesToOwner": true, "matchAccounts": true,
 *  "rules": [{"name": "DACH demo requests",
 *             "when": {"and": [{"field": "country", "op": "in", "values": ["DE", "AT", "CH"]},
 *                              {"field": "intentTier", "op": "eq", "value": "demo-request"}]},
 *             "then": {"type": "team", "team": "dach", "strategy": "WEIGHTED_ROUND_ROBIN",
 *                      "requiredSkills": ["lang:de"], "respectWorkingHours": true}}]}
 * </pre>
 *
 * Conditions: {@code {"field", "op": eq|in|range|regex|exists, "value"|"values"|"min"/"max"|"pattern"}},
 * {@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": {...}}}; a rule without {@code when} matches every
 * lead. Actions: {@code team}, {@code account-owner}, {@code rep} ({@code "username"}), {@code queue}
 * ({@code "queue"}).
 */
public final class RuleSetCodec {

    /** What a parsed definition refers to, for the checks against the routing model. */
    public record References(Set<String> teams, Set<String> reps) {
    }

    /** A parsed definition, or the reasons it does not parse. */
    public record Parsed(RuleSet ruleSet, References references, List<Problem.Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    static final int MAX_RULES = 2000;
    static final int MAX_DEPTH = 16;

    private RuleSetCodec() {
    }

    public static Parsed parse(int version, JsonNode def) {
        List<Problem.Violation> v = new ArrayList<>();
        Set<String> teams = new LinkedHashSet<>();
        Set<String> reps = new LinkedHashSet<>();
        if (def == null || !def.isObject()) {
            v.add(new Problem.Violation("definition", "must be a JSON object"));
            return new Parsed(null, new References(teams, reps), v);
        }
        String fallback = text(def, "fallbackQueue");
        if (fallback == null || fallback.isBlank()) {
            v.add(new Problem.Violation("fallbackQueue", "required: where leads no rule places wait"));
        }
        JsonNode rulesNode = def.get("rules");
        List<Rule> rules = new ArrayList<>();
        if (rulesNode == null || !rulesNode.isArray()) {
            v.add(new Problem.Violation("rules", "must be an array"));
        } else if (rulesNode.size() > MAX_RULES) {
            v.add(new Problem.Violation("rules", "at most " + MAX_RULES + " rules"));
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < rulesNode.size(); i++) {
                String path = "rules[" + i + "]";
                JsonNode r = rulesNode.get(i);
                String name = text(r, "name");
                if (name == null || name.isBlank()) {
                    v.add(new Problem.Violation(path + ".name", "required"));
                    name = path;
                } else if (!names.add(name)) {
                    v.add(new Problem.Violation(path + ".name", "duplicate rule name '" + name + "'"));
                }
                Condition when = r.has("when") ? condition(r.get("when"), path + ".when", v, 0)
                        : new Condition.Always();
                Action then = action(r.get("then"), path + ".then", v, teams, reps);
                if (when != null && then != null) {
                    rules.add(new Rule(name, when, then));
                }
            }
        }
        boolean dup = !def.has("routeDuplicatesToOwner") || def.get("routeDuplicatesToOwner").asBoolean(true);
        boolean acc = !def.has("matchAccounts") || def.get("matchAccounts").asBoolean(true);
        RuleSet set = v.isEmpty() ? new RuleSet(version, rules, fallback, dup, acc) : null;
        return new Parsed(set, new References(teams, reps), v);
    }

    private static Condition condition(JsonNode n, String path, List<Problem.Violation> v, int depth) {
        if (depth > MAX_DEPTH) {
            v.add(new Problem.Violation(path, "nested deeper than " + MAX_DEPTH));
            return null;
        }
        if (n == null || !n.isObject()) {
            v.add(new Problem.Violation(path, "must be an object"));
            return null;
        }
        if (n.has("and") || n.has("or")) {
            String key = n.has("and") ? "and" : "or";
            JsonNode list = n.get(key);
            if (!list.isArray() || list.isEmpty()) {
                v.add(new Problem.Violation(path + "." + key, "must be a non-empty array"));
                return null;
            }
            List<Condition> parts = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Condition c = condition(list.get(i), path + "." + key + "[" + i + "]", v, depth + 1);
                if (c != null) {
                    parts.add(c);
                }
            }
            return parts.size() != list.size() ? null
                    : key.equals("and") ? new Condition.And(parts) : new Condition.Or(parts);
        }
        if (n.has("not")) {
            Condition inner = condition(n.get("not"), path + ".not", v, depth + 1);
            return inner == null ? null : new Condition.Not(inner);
        }
        String field = text(n, "field");
        String op = text(n, "op");
        if (field == null || field.isBlank()) {
            v.add(new Problem.Violation(path + ".field", "required"));
            return null;
        }
        if (op == null) {
            v.add(new Problem.Violation(path + ".op", "required: eq, in, range, regex or exists"));
            return null;
        }
        try {
            return switch (op.toLowerCase(Locale.ROOT)) {
                case "eq" -> {
                    String value = text(n, "value");
                    if (value == null) {
                        v.add(new Problem.Violation(path + ".value", "required for eq"));
                        yield null;
                    }
                    yield new Condition.Eq(field, value);
                }
                case "in" -> {
                    JsonNode values = n.get("values");
                    if (values == null || !values.isArray() || values.isEmpty()) {
                        v.add(new Problem.Violation(path + ".values", "a non-empty array is required for in"));
                        yield null;
                    }
                    List<String> list = new ArrayList<>();
                    values.forEach(x -> list.add(x.asText()));
                    yield new Condition.In(field, list);
                }
                case "range" -> new Condition.Range(field, decimal(n, "min", path, v), decimal(n, "max", path, v));
                case "regex" -> {
                    String pattern = text(n, "pattern");
                    if (pattern == null) {
                        v.add(new Problem.Violation(path + ".pattern", "required for regex"));
                        yield null;
                    }
                    yield Condition.Regex.of(field, pattern);
                }
                case "exists" -> new Condition.Exists(field);
                default -> {
                    v.add(new Problem.Violation(path + ".op", "unknown operator '" + op + "'"));
                    yield null;
                }
            };
        } catch (PatternSyntaxException e) {
            v.add(new Problem.Violation(path + ".pattern", "not a valid regular expression: " + e.getDescription()));
            return null;
        } catch (IllegalArgumentException e) {
            v.add(new Problem.Violation(path, e.getMessage()));
            return null;
        }
    }

    private static Action action(JsonNode n, String path, List<Problem.Violation> v, Set<String> teams,
            Set<String> reps) {
        if (n == null || !n.isObject()) {
            v.add(new Problem.Violation(path, "required: an action object"));
            return null;
        }
        String type = text(n, "type");
        if (type == null) {
            v.add(new Problem.Violation(path + ".type", "required: team, account-owner, rep or queue"));
            return null;
        }
        switch (type) {
            case "team" -> {
                String team = text(n, "team");
                if (team == null || team.isBlank()) {
                    v.add(new Problem.Violation(path + ".team", "required"));
                    return null;
                }
                Action.Strategy strategy = Action.Strategy.WEIGHTED_ROUND_ROBIN;
                String s = text(n, "strategy");
                if (s != null) {
                    try {
                        strategy = Action.Strategy.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
                    } catch (IllegalArgumentException e) {
                        v.add(new Problem.Violation(path + ".strategy",
                                "WEIGHTED_ROUND_ROBIN or LEAST_LOADED, not " + s));
                        return null;
                    }
                }
                Set<String> skills = new LinkedHashSet<>();
                if (n.has("requiredSkills")) {
                    n.get("requiredSkills").forEach(x -> skills.add(x.asText().toLowerCase(Locale.ROOT)));
                }
                teams.add(team);
                boolean hours = !n.has("respectWorkingHours") || n.get("respectWorkingHours").asBoolean(true);
                return new Action.AssignTeam(team, strategy, skills, hours);
            }
            case "account-owner" -> {
                return new Action.AssignAccountOwner();
            }
            case "rep" -> {
                String user = text(n, "username");
                if (user == null || user.isBlank()) {
                    v.add(new Problem.Violation(path + ".username", "required"));
                    return null;
                }
                reps.add(user);
                return new Action.AssignRep(user);
            }
            case "queue" -> {
                String queue = text(n, "queue");
                if (queue == null || queue.isBlank()) {
                    v.add(new Problem.Violation(path + ".queue", "required"));
                    return null;
                }
                return new Action.Queue(queue);
            }
            default -> {
                v.add(new Problem.Violation(path + ".type", "unknown action '" + type + "'"));
                return null;
            }
        }
    }

    private static BigDecimal decimal(JsonNode n, String key, String path, List<Problem.Violation> v) {
        JsonNode x = n.get(key);
        if (x == null || x.isNull()) {
            return null;
        }
        try {
            return new BigDecimal(x.asText());
        } catch (NumberFormatException e) {
            v.add(new Problem.Violation(path + "." + key, "not a number"));
            return null;
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode x = n == null ? null : n.get(key);
        return x == null || x.isNull() ? null : x.asText();
    }
}
