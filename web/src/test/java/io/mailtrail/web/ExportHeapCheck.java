package io.mailtrail.web;

import io.mailtrail.core.read.ActivityQueries;
import io.mailtrail.core.read.RecentFilter;
import java.io.Writer;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Run by {@link ExportHeapTest} in a child JVM with a small heap: streams the whole log through
 * the CSV and the JSON Lines export writers into a counting sink and prints
 * {@code rows=<n> chars=<n>}. Fails with an {@link OutOfMemoryError} if an export held its rows.
 */
public final class ExportHeapCheck {

    private ExportHeapCheck() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        ActivityQueries queries = new ActivityQueries(dataSource);
        for (ExportFormat format : ExportFormat.values()) {
            CountingWriter out = new CountingWriter();
            ExportWriter writer = ExportWriter.of(format, out, JsonMapper.builder().build(), TraceLinks.of(null));
            writer.start();
            long rows = queries.streamRecent(RecentFilter.ANY, false, writer::row);
            System.out.println(format + " rows=" + rows + " chars=" + out.chars + " maxHeapMiB="
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }

    private static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void write(String text) {
            chars += text.length();
        }

        @Override
        public void write(int c) {
            chars++;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
