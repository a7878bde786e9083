package io.mailtrail.core.read;

import java.util.List;

/**
 * One page of a timeline or of recent activity, newest first.
 *
 * @param next        where the next (older) page starts, or {@code null} when this page is the last
 * @param highWaterId the walk's high-water mark (see {@link PageCursor})
 */
public record ActivityPage(List<ActivityRow> rows, PageCursor next, long highWaterId) {

    public ActivityPage {
        rows = List.copyOf(rows);
    }

    /** A cursor that continues the walk after {@code row}, e.g. when a caller keeps only part of a page. */
    public PageCursor cursorAfter(ActivityRow row) {
        return new PageCursor(row.createdAt(), row.id(), highWaterId);
    }
}
