package io.mailtrail.web;

import io.mailtrail.testsupport.TestDatabase;

/** Rows of email 701 in two traces and one in none, as the writer stores them (trace_id, span_id). */
final class TraceRows {

    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_A = "00f067aa0ba902b7";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    static final String SPAN_B = "b7ad6b7169203331";

    private TraceRows() {
    }

    static void insert(TestDatabase db) throws Exception {
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at,
                                                created_by, trace_id, span_id) VALUES
                (701, 'fetched', 'system', 'fetched in trace A', '2025-12-16 09:00:00', 'system', ?, ?),
                (701, 'classified', 'system', 'classified in trace A', '2025-12-16 09:00:01', 'system', ?, ?),
                (702, 'fetched', 'system', 'fetched in trace B', '2025-12-16 09:00:02', 'system', ?, ?),
                (701, 'read', 'user', 'read in no trace', '2025-12-16 09:00:03', 'alice', NULL, NULL)""",
                TRACE_A, SPAN_A, TRACE_A, SPAN_A, TRACE_B, SPAN_B);
    }
}
