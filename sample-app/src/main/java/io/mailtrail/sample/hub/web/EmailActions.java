package io.mailtrail.sample.hub.web;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import org.springframework.stereotype.Service;

/**
 * What a person does with an email through the page or the API. Each is a user event attributed
 * to the caller (user_id and created_by come from the request's {@code ActivityContext}).
 * Unknown emails and attachments are answered with 404 before these are called, so a failed
 * lookup logs nothing ({@code logErrors = false}).
 */
@Service
public class EmailActions {

    private final HubQueries queries;

    public EmailActions(HubQueries queries) {
        this.queries = queries;
    }

    @LogsEmailEvent(type = "read", category = Category.USER, logErrors = false, condition = "#result != null",
            description = "Email read by #{#caller.displayName}",
            metadata = @Metadata(key = "user_name", value = "#caller.username"))
    public EmailDetail open(@EmailId int emailId, Caller caller) {
        return queries.email(emailId).orElse(null);
    }

    @LogsEmailEvent(type = "attachment_downloaded", category = Category.USER, logErrors = false,
            condition = "#result != null",
            description = "Attachment '#{#result.filename}' downloaded by #{#caller.displayName}",
            metadata = {
                @Metadata(key = "filename", value = "#result.filename"),
                @Metadata(key = "size_bytes", value = "#result.size"),
                @Metadata(key = "content_type", value = "#result.contentType"),
                @Metadata(key = "attachment_id", value = "#attachmentId")})
    public AttachmentData download(@EmailId int emailId, int attachmentId, Caller caller) {
        return queries.attachment(emailId, attachmentId).orElse(null);
    }

    @LogsEmailEvent(type = "attachment_uploaded", category = Category.USER,
            description = "Attachment '#{#result.filename}' uploaded by #{#caller.displayName}",
            metadata = {
                @Metadata(key = "filename", value = "#result.filename"),
                @Metadata(key = "size_bytes", value = "#result.sizeBytes"),
                @Metadata(key = "content_type", value = "#result.contentType"),
                @Metadata(key = "attachment_id", value = "#result.id")})
    public AttachmentInfo upload(@EmailId int emailId, String filename, String contentType, @NotLogged byte[] content,
            Caller caller) {
        return queries.addAttachment(emailId, filename, contentType, content, caller.userId());
    }
}
