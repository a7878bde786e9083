package io.mailtrail.sample.hub.web;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.processing.StatusService;
import io.mailtrail.sample.hub.processing.StoredEmail;
import io.mailtrail.sample.hub.security.HubUser;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What a signed-in person does with an email through the page or the API. Each is a user event;
 * user_id and created_by come from the authenticated {@link HubUser} (see the starter's
 * {@code MailtrailUser}), the parameter only names them in the description. Unknown emails and
 * attachments are answered with 404 before these are called.
 */
@Service
public class EmailActions {

    private final HubQueries queries;
    private final StatusService status;

    public EmailActions(HubQueries queries, StatusService status) {
        this.queries = queries;
        this.status = status;
    }

    /**
     * Archives the selected emails in one call: one {@code status_changed} row per email
     * ({@code forEach}), each with the status it had before ({@code #entry(#it.status)}).
     */
    @LogsEmailEvent(type = "status_changed", category = Category.USER, forEach = "#emails", emailId = "#it.id",
            description = "Archived by #{#user.displayName}: #{#entry(#it.status)} → #{#it.status}",
            metadata = {
                @Metadata(key = "old_status", value = "#entry(#it.status)"),
                @Metadata(key = "new_status", value = "#it.status"),
                @Metadata(key = "reason", value = "'archived by hand'"),
                @Metadata(key = "batch_size", value = "#emails.size")})
    public void archive(List<StoredEmail> emails, HubUser user) {
        status.changeAll(emails, "archived");
    }

    @LogsEmailEvent(type = "read", category = Category.USER, logErrors = false, condition = "#result != null",
            description = "Email read by #{#user.displayName}",
            metadata = @Metadata(key = "user_name", value = "#user.username"))
    public EmailDetail open(@EmailId int emailId, HubUser user) {
        return queries.email(emailId).orElse(null);
    }

    /**
     * Sends the attachment's bytes. Logged once they are written: a download that fails on the
     * way is logged as an {@code error} event, never as {@code attachment_downloaded}.
     */
    @LogsEmailEvent(type = "attachment_downloaded", category = Category.USER,
            description = "Attachment '#{#attachment.filename}' downloaded by #{#user.displayName}",
            metadata = {
                @Metadata(key = "filename", value = "#attachment.filename"),
                @Metadata(key = "size_bytes", value = "#attachment.size"),
                @Metadata(key = "content_type", value = "#attachment.contentType"),
                @Metadata(key = "attachment_id", value = "#attachmentId")})
    public void send(@EmailId int emailId, int attachmentId, AttachmentData attachment, HubUser user,
            @NotLogged OutputStream out) throws IOException {
        out.write(attachment.content());
        out.flush();
    }

    @LogsEmailEvent(type = "attachment_uploaded", category = Category.USER,
            description = "Attachment '#{#result.filename}' uploaded by #{#user.displayName}",
            metadata = {
                @Metadata(key = "filename", value = "#result.filename"),
                @Metadata(key = "size_bytes", value = "#result.sizeBytes"),
                @Metadata(key = "content_type", value = "#result.contentType"),
                @Metadata(key = "attachment_id", value = "#result.id")})
    public AttachmentInfo upload(@EmailId int emailId, String filename, String contentType, @NotLogged byte[] content,
            HubUser user) {
        return queries.addAttachment(emailId, filename, contentType, content, user.id());
    }
}
