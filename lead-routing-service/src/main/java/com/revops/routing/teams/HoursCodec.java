package com.revops.routing.teams;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.web.Problem;
import com.revops.routing.engine.WorkingHours;

/** Working hours between their JSON form ({@code {"MONDAY":[["09:00","17:00"]]}}) and the engine's type. */
public final class HoursCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, List<List<String>>>> TYPE = new TypeReference<>() {
    };

    private HoursCodec() {
    }

    /** Validates a request's hours; adds violations for anything that does not parse. */
    public static WorkingHours parse(String zone, Map<String, List<List<String>>> week,
            List<Problem.Violation> violations) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone == null ? "UTC" : zone);
        } catch (RuntimeException e) {
            violations.add(new Problem.Violation("timeZone", "unknown time zone " + zone));
            return null;
        }
        if (week == null) {
            return new WorkingHours(zoneId, null);
        }
        Map<DayOfWeek, List<WorkingHours.Window>> days = new EnumMap<>(DayOfWeek.class);
        for (var e : week.entrySet()) {
            DayOfWeek day;
            try {
                day = DayOfWeek.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                violations.add(new Problem.Violation("workingHours." + e.getKey(), "not a day of the week"));
                continue;
            }
            List<WorkingHours.Window> windows = new ArrayList<>();
            for (List<String> w : e.getValue() == null ? List.<List<String>>of() : e.getValue()) {
                try {
                    if (w.size() != 2) {
                        throw new IllegalArgumentException("a window is [start, end]");
                    }
                    windows.add(new WorkingHours.Window(LocalTime.parse(w.get(0)), LocalTime.parse(w.get(1))));
                } catch (DateTimeParseException | IllegalArgumentException ex) {
                    violations.add(new Problem.Violation("workingHours." + e.getKey(), ex.getMessage()));
                }
            }
            days.put(day, windows);
        }
        try {
            return new WorkingHours(zoneId, days);
        } catch (IllegalArgumentException ex) {
            violations.add(new Problem.Violation("workingHours", ex.getMessage()));
            return null;
        }
    }

    /** From the stored row. */
    public static WorkingHours fromStored(String zone, String json) {
        ZoneId zoneId = ZoneId.of(zone);
        if (json == null) {
            return new WorkingHours(zoneId, null);
        }
        List<Problem.Violation> ignored = new ArrayList<>();
        return parse(zone, readWeek(json), ignored);
    }

    public static Map<String, List<List<String>>> readWeek(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored working hours do not parse", e);
        }
    }

    public static String write(WorkingHours hours) {
        if (hours == null || hours.isAlways()) {
            return null;
        }
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        hours.week().forEach((day, windows) -> out.put(day.name(),
                windows.stream().map(w -> List.of(w.start().toString(), w.end().toString())).toList()));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
