package io.mailtrail.web;

/** The export formats: {@code format=csv} (the default) and {@code format=jsonl}. */
enum ExportFormat {
    CSV("text/csv;charset=UTF-8", "csv"),
    JSON_LINES("application/x-ndjson;charset=UTF-8", "jsonl");

    final String contentType;
    final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }
}
