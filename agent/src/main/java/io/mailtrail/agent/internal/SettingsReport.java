package io.mailtrail.agent.internal;

import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.Setting;
import io.mailtrail.core.settings.SettingCatalog;
import io.mailtrail.core.settings.SettingValues;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.util.Locale;
import java.util.StringJoiner;

/** The report lines that tell the operator which settings are in force and whether the spool is. */
final class SettingsReport {

    private SettingsReport() {
    }

    /** The settings that are not at their default (the database has its own line), with their sources. */
    static void settings(Report report, AgentSettingsBinder.Bound bound) {
        StringJoiner changed = new StringJoiner(", ");
        for (Setting setting : SettingCatalog.all()) {
            String source = bound.source(setting.key());
            if (!setting.section().equals("database") && !source.equals("default")) {
                changed.add(setting.key() + " " + setting.shown(valueOf(bound.settings(), setting.key()))
                        + " (" + source + ")");
            }
        }
        if (changed.length() > 0) {
            report.line("settings: " + changed);
        }
    }

    /** Whether the spool is in use, and when not although configured, why: the outage behaviour depends on it. */
    static void spool(Report report, MailtrailSettings.Spool spool, AsyncEventWriter writer) {
        if (writer.spoolProblem() != null) {
            report.line("CONFIG spool directory " + spool.dir() + " can not be used: " + writer.spoolProblem()
                    + "; running WITHOUT a spool: during a database outage, events beyond the memory caps are"
                    + " dropped (counted)");
        } else if (writer.hasSpool()) {
            long replay = writer.stats().spooled();
            report.line("spool " + spool.dir() + " (at most " + SettingValues.formatSize(spool.maxBytes())
                    + ", fsync " + spool.fsync().name().toLowerCase(Locale.ROOT) + ")"
                    + (replay > 0 ? "; " + replay + " event(s) of an earlier run to write" : ""));
        } else {
            report.line("no spool (spool.dir unset): during a database outage, events beyond the memory caps are"
                    + " dropped (counted)");
        }
    }

    /** Reads {@code key} ({@code spool.dir}) from the settings: off the hot path, once at start-up. */
    static Object valueOf(MailtrailSettings settings, String key) {
        try {
            String[] parts = key.split("\\.");
            Object section = MailtrailSettings.class.getMethod(parts[0]).invoke(settings);
            return section.getClass().getMethod(parts[1]).invoke(section);
        } catch (ReflectiveOperationException e) {
            return "?";
        }
    }
}
