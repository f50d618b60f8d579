package com.revops.sandbox.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Salesforce query paging: the rows of a query are fixed when it runs, the first page is answered and the rest kept
 * behind a query locator ({@code nextRecordsUrl: /services/data/v67.0/query/01gXX...-2000}). The newest locators are
 * kept (Salesforce keeps a limited number open per user); an unknown or expired one answers
 * {@code INVALID_QUERY_LOCATOR}. Plain Java.
 */
public final class QueryCursors {

    /** One page of a query. */
    public record Page(long totalSize, boolean done, String nextRecordsUrl, List<Map<String, Object>> records) {
    }

    private final String apiVersion;
    private final int maxOpen;
    private long counter;
    private final LinkedHashMap<String, List<Map<String, Object>>> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Map<String, Object>>> eldest) {
            return size() > maxOpen;
        }
    };

    public QueryCursors(String apiVersion, int maxOpen) {
        this.apiVersion = apiVersion;
        this.maxOpen = maxOpen;
    }

    /** The first page of {@code rows}, opening a locator when there are more. */
    public synchronized Page first(List<Map<String, Object>> rows, int pageSize) {
        if (rows.size() <= pageSize) {
            return new Page(rows.size(), true, null, rows);
        }
        String locator = "01gSB" + String.format("%010d", ++counter);
        open.put(locator, new ArrayList<>(rows));
        return page(locator, rows, 0, pageSize);
    }

    /**
     * The page that starts at {@code offset} of an open locator ({@code 01g...-2000}).
     *
     * @throws ApiException 400 INVALID_QUERY_LOCATOR when it is unknown or expired
     */
    public synchronized Page next(String locatorAndOffset, int pageSize) {
        int dash = locatorAndOffset.lastIndexOf('-');
        List<Map<String, Object>> rows = dash < 0 ? null : open.get(locatorAndOffset.substring(0, dash));
        int offset;
        try {
            offset = dash < 0 ? -1 : Integer.parseInt(locatorAndOffset.substring(dash + 1));
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (rows == null || offset < 0 || offset > rows.size()) {
            throw SalesforceErrors.error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(locatorAndOffset.substring(0, dash), rows, offset, pageSize);
    }

    private Page page(String locator, List<Map<String, Object>> rows, int offset, int pageSize) {
        int end = Math.min(rows.size(), offset + pageSize);
        boolean done = end >= rows.size();
        if (done) {
            open.remove(locator);
        }
        String next = done ? null : "/services/data/" + apiVersion + "/query/" + locator + "-" + end;
        return new Page(rows.size(), done, next, rows.subList(offset, end));
    }
}
