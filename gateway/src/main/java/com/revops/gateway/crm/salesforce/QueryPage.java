package com.revops.gateway.crm.salesforce;

import java.util.List;
import java.util.Map;

/**
 * One page of a SOQL query result: {@code {totalSize, done, nextRecordsUrl, records:[...]}}.
 *
 * @param totalSize the number of rows the whole query matches (all pages)
 * @param done true on the last page
 * @param nextRecordsUrl path of the next page (e.g. {@code /services/data/v67.0/query/01g...-2000}); null when done
 * @param records the rows of this page, each still carrying Salesforce's {@code attributes} entry
 */
public record QueryPage(long totalSize, boolean done, String nextRecordsUrl, List<Map<String, Object>> records) {

    public QueryPage {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
