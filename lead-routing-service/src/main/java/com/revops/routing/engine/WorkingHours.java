package com.revops.routing.engine;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A rep's weekly working hours in their own time zone: per weekday, a list of {@code [start, end)} local-time
 * windows. {@link #ALWAYS} is a rep without configured hours. Also the business clock of the SLA: adding business
 * time walks the windows, so a 1-hour SLA on a lead routed at 16:30 to a rep working until 17:00 falls due at 09:30
 * on their next working day.
 */
public final class WorkingHours {

    /** Local-time window of one day; {@code end} after {@code start}. */
    public record Window(LocalTime start, LocalTime end) {
        public Window {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("window end " + end + " must be after start " + start);
            }
        }
    }

    public static final WorkingHours ALWAYS = new WorkingHours(ZoneId.of("UTC"), null);

    private final ZoneId zone;
    private final Map<DayOfWeek, List<Window>> week;

    public WorkingHours(ZoneId zone, Map<DayOfWeek, List<Window>> week) {
        this.zone = zone;
        if (week == null) {
            this.week = null;
        } else {
            Map<DayOfWeek, List<Window>> copy = new EnumMap<>(DayOfWeek.class);
            week.forEach((day, windows) -> {
                List<Window> sorted = new ArrayList<>(windows);
                sorted.sort(Comparator.comparing(Window::start));
                for (int i = 1; i < sorted.size(); i++) {
                    if (sorted.get(i).start().isBefore(sorted.get(i - 1).end())) {
                        throw new IllegalArgumentException("overlapping windows on " + day);
                    }
                }
                copy.put(day, List.copyOf(sorted));
            });
            this.week = copy;
        }
    }

    /** Monday to Friday, {@code from}-{@code to} in {@code zone}. */
    public static WorkingHours weekdays(ZoneId zone, LocalTime from, LocalTime to) {
        Map<DayOfWeek, List<Window>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY) {
                week.put(d, List.of(new Window(from, to)));
            }
        }
        return new WorkingHours(zone, week);
    }

    public boolean isAlways() {
        return week == null;
    }

    public ZoneId zone() {
        return zone;
    }

    public Map<DayOfWeek, List<Window>> week() {
        return week == null ? Map.of() : week;
    }

    public boolean isOpen(Instant at) {
        if (week == null) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        for (Window w : week.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (!t.isBefore(w.start()) && t.isBefore(w.end())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The instant at which {@code amount} of working time has elapsed after {@code start}. Always-open hours make
     * this plain addition. A week without any window makes business time meaningless: wall time is used.
     */
    public Instant plusBusinessTime(Instant start, Duration amount) {
        if (week == null || week.values().stream().allMatch(List::isEmpty)) {
            return start.plus(amount);
        }
        Duration left = amount;
        ZonedDateTime cursor = start.atZone(zone);
        // at most a few weeks of walking for any sane SLA; bounded so a bad input can never loop forever
        for (int day = 0; day < 3700; day++) {
            LocalDate date = cursor.toLocalDate();
            for (Window w : week.getOrDefault(date.getDayOfWeek(), List.of())) {
                ZonedDateTime ws = date.atTime(w.start()).atZone(zone);
                ZonedDateTime we = date.atTime(w.end()).atZone(zone);
                if (!we.isAfter(cursor)) {
                    continue;
                }
                ZonedDateTime from = ws.isAfter(cursor) ? ws : cursor;
                Duration available = Duration.between(from, we);
                if (available.compareTo(left) >= 0) {
                    return from.plus(left).toInstant();
                }
                left = left.minus(available);
                cursor = we;
            }
            cursor = date.plusDays(1).atStartOfDay(zone);
        }
        throw new IllegalStateException("business time " + amount + " does not fit in ten years of working hours");
    }
}
