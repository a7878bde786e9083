package io.mailtrail.web;

import io.mailtrail.core.read.ActivityRow;
import java.io.IOException;
import java.io.Writer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes exported rows one at a time, so an export holds one row in memory however long it is.
 *
 * <p>CSV as spreadsheets read it: a UTF-8 byte order mark (without it Excel guesses the
 * encoding), CRLF line ends, every text cell quoted per RFC 4180, and cells that a spreadsheet
 * would run as a formula ({@code = + - @}, tab, carriage return first) prefixed with an
 * apostrophe (OWASP's advice on CSV injection). Numbers are left as they are.
 *
 * <p>JSON Lines: one object per line in the API's shape. Both carry the trace an event ran in
 * ({@code trace_id}, {@code span_id}) after the seed's columns.
 */
abstract class ExportWriter {

    static final String[] COLUMNS = {"id", "email_id", "event_type", "event_category", "description", "metadata",
        "user_id", "user_name", "created_at", "created_by", "trace_id", "span_id"};

    final Writer out;

    ExportWriter(Writer out) {
        this.out = out;
    }

    static ExportWriter of(ExportFormat format, Writer out, JsonMapper json, TraceLinks links) {
        return format == ExportFormat.CSV ? new Csv(out) : new JsonLines(out, json, links);
    }

    abstract void start() throws IOException;

    abstract void row(ActivityRow row) throws IOException;

    private static final class Csv extends ExportWriter {

        Csv(Writer out) {
            super(out);
        }

        @Override
        void start() throws IOException {
            out.write('\uFEFF');
            out.write(String.join(",", COLUMNS));
            out.write("\r\n");
        }

        @Override
        void row(ActivityRow row) throws IOException {
            out.write(Long.toString(row.id()));
            out.write(',');
            out.write(Integer.toString(row.emailId()));
            text(row.eventType());
            text(row.eventCategory());
            text(row.description());
            text(row.metadataJson());
            out.write(',');
            if (row.userId() != null) {
                out.write(row.userId().toString());
            }
            text(row.userName());
            text(ActivityJson.time(row.createdAt()));
            text(row.createdBy());
            text(row.traceId()); // hex: never a formula, quoted like every text cell
            text(row.spanId());
            out.write("\r\n");
        }

        private void text(String value) throws IOException {
            out.write(',');
            if (value == null) {
                return;
            }
            out.write('"');
            if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
                out.write('\'');
            }
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        }
    }

    private static final class JsonLines extends ExportWriter {

        private final JsonMapper json;
        private final TraceLinks links;

        JsonLines(Writer out, JsonMapper json, TraceLinks links) {
            super(out);
            this.json = json;
            this.links = links;
        }

        @Override
        void start() {
        }

        @Override
        void row(ActivityRow row) throws IOException {
            out.write(json.writeValueAsString(ActivityJson.Event.of(row, links)));
            out.write('\n');
        }
    }
}
