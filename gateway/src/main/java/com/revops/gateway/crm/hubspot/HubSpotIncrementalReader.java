package com.revops.gateway.crm.hubspot;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.revops.gateway.crm.hubspot.HubSpotModels.CrmObject;
import com.revops.gateway.crm.hubspot.HubSpotModels.SearchPage;

import io.smallrye.mutiny.Uni;

/**
 * Reads every object modified in a period through CRM search, whatever its size, re-windowing on
 * (lastmodifieddate, hs_object_id) because HubSpot pages one search only up to 10,000 results:
 * <ol>
 * <li>a main window {@code since < modified <= until}, oldest first, is paged until the cap is near;</li>
 * <li>the records at the last timestamp reached are then read completely by id ({@code modified = T, id > x}, by
 * id, re-windowed on the id when needed), so a timestamp shared by any number of records is never cut;</li>
 * <li>a new main window starts after T.</li>
 * </ol>
 * The upper bound is frozen for the whole run (records modified meanwhile belong to the next run). Each record is
 * handed to {@code onPage} once; the cursor after each page lets a stopped run resume.
 */
public final class HubSpotIncrementalReader {

    /** A resumable position: everything up to (since, sinceId) is done; {@code until} is the run's frozen bound. */
    public record Cursor(Instant since, String sinceId, Instant until) {
    }

    /** What a run did. */
    public record Outcome(long read, long searches, Cursor last) {
    }

    /** Receives each page of new records and the cursor that holds once the page is handled. */
    public interface PageHandler extends Function<Page, Uni<Void>> {
    }

    /** Records and the cursor after them. */
    public record Page(List<CrmObject> records, Cursor cursor) {
    }

    private final HubSpotClient client;

    public HubSpotIncrementalReader(HubSpotClient client) {
        this.client = client;
    }

    public Uni<Outcome> read(String objectType, List<String> properties, Cursor cursor, PageHandler onPage) {
        Run run = new Run(objectType, properties, onPage, cursor);
        // a resumed run first finishes the timestamp it stopped in
        return run.drainTimestamp(cursor.since(), cursor.sinceId(), null, 0)
                .chain(() -> run.mainWindow(run.cursor.since(), null, 0))
                .map(ignored -> new Outcome(run.read, run.searches, run.cursor));
    }

    private final class Run {
        final String type;
        final List<String> properties;
        final PageHandler onPage;
        final Instant until;
        Cursor cursor;
        long read;
        long searches;
        /** Ids already handed out at {@link Cursor#since()} of the current cursor. */
        final Set<String> atBoundary = new HashSet<>();

        Run(String type, List<String> properties, PageHandler onPage, Cursor start) {
            this.type = type;
            this.properties = properties;
            this.onPage = onPage;
            this.until = start.until();
            this.cursor = start;
        }

        /** Pages one window; {@code since} stays fixed while the cursor moves with the pages. */
        Uni<Void> mainWindow(Instant since, String after, int offset) {
            searches++;
            return client.searchModifiedAfter(type, properties, since, until, after).chain(page -> {
                int next = offset + page.results().size();
                return handle(page).chain(() -> {
                    if (page.after() == null || page.results().isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (next + HubSpotClient.SEARCH_PAGE_LIMIT <= HubSpotClient.SEARCH_RESULT_CAP) {
                        return mainWindow(since, page.after(), next);
                    }
                    // the cap is near: finish the last timestamp by id, then a new window after it
                    Instant reached = cursor.since();
                    return drainTimestamp(reached, null, null, 0).chain(() -> mainWindow(reached, null, 0));
                });
            });
        }

        Uni<Void> drainTimestamp(Instant at, String afterId, String after, int offset) {
            if (at == null || Instant.EPOCH.equals(at) && afterId == null) {
                return Uni.createFrom().voidItem();
            }
            searches++;
            return client.searchModifiedAt(type, properties, at, afterId, after).chain(page -> {
                int next = offset + page.results().size();
                return handle(page).chain(() -> {
                    if (page.after() == null || page.results().isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (next + HubSpotClient.SEARCH_PAGE_LIMIT <= HubSpotClient.SEARCH_RESULT_CAP) {
                        return drainTimestamp(at, afterId, page.after(), next);
                    }
                    String lastId = page.results().get(page.results().size() - 1).id();
                    return drainTimestamp(at, lastId, null, 0);
                });
            });
        }

        private Uni<Void> handle(SearchPage page) {
            if (page.results().isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            List<CrmObject> fresh = page.results().stream()
                    .filter(o -> !(modifiedAt(o).equals(cursor.since()) && atBoundary.contains(o.id())))
                    .toList();
            CrmObject tail = page.results().get(page.results().size() - 1);
            Instant tailAt = modifiedAt(tail);
            if (!tailAt.equals(cursor.since())) {
                atBoundary.clear();
            }
            page.results().stream().filter(o -> modifiedAt(o).equals(tailAt)).forEach(o -> atBoundary.add(o.id()));
            cursor = new Cursor(tailAt, tail.id(), until);
            read += fresh.size();
            return fresh.isEmpty() ? Uni.createFrom().voidItem() : onPage.apply(new Page(fresh, cursor));
        }
    }

    static Instant modifiedAt(CrmObject o) {
        String v = o.property("lastmodifieddate");
        if (v == null) {
            v = o.property("hs_lastmodifieddate");
        }
        if (v == null) {
            v = o.updatedAt();
        }
        if (v == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Instant.parse(v);
        }
    }
}
