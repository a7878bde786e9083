package io.mailtrail.core.read;

import java.util.List;

/**
 * One page of a timeline or of recent activity, newest first.
 *
 * @param next where the next (older) page starts, or {@code null} when this page is the last
 */
public record ActivityPage(List<ActivityRow> rows, PageCursor next) {

    public ActivityPage {
        rows = List.copyOf(rows);
    }
}
