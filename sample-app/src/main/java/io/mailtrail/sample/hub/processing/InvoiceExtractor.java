package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.sample.hub.mail.AttachmentData;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reads invoice number and total from an invoice PDF with PDFBox. A PDF that can not be read is
 * not an exception for the hub but a result: it is logged as an {@code error} event with
 * {@code error_type} {@code extraction_failed}, and the workflow step fails.
 */
@Service
public class InvoiceExtractor {

    private static final Pattern NUMBER = Pattern.compile("Invoice number:\\s*(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("Total:\\s*([0-9][0-9.,]*)\\s*([A-Z]{3})");

    private final JdbcClient jdbc;

    public InvoiceExtractor(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "invoice_extracted", category = Category.INTEGRATION, condition = "#result.success",
            description = "Invoice #{#result.invoiceNumber} extracted (amount: #{#result.amountText} #{#result.currency})",
            metadata = {
                @Metadata(key = "invoice_number", value = "#result.invoiceNumber"),
                @Metadata(key = "amount", value = "#result.amount"),
                @Metadata(key = "currency", value = "#result.currency"),
                @Metadata(key = "success", value = "#result.success"),
                @Metadata(key = "file", value = "#result.file")})
    @LogsEmailEvent(type = "error", condition = "!#result.success",
            // The parser's message goes to error_message only: readers without the detail authority see it redacted.
            description = "Invoice extraction failed for #{#result.file}: the PDF could not be read",
            metadata = {
                @Metadata(key = "error_type", value = "'extraction_failed'"),
                @Metadata(key = "error_message", value = "#result.error"),
                @Metadata(key = "file", value = "#result.file"),
                @Metadata(key = "size", value = "#result.size")})
    public InvoiceExtraction extract(@EmailId int emailId, AttachmentData pdf) {
        String text;
        try (PDDocument document = Loader.loadPDF(pdf.content())) {
            text = new PDFTextStripper().getText(document);
        } catch (IOException e) {
            return failed(pdf, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        Matcher number = NUMBER.matcher(text);
        Matcher total = TOTAL.matcher(text);
        if (!number.find() || !total.find()) {
            return failed(pdf, "no invoice number or total in the PDF text");
        }
        double amount = Double.parseDouble(total.group(1).replace(",", ""));
        jdbc.sql("INSERT INTO invoices (email_id, invoice_number, amount, currency, source_file) VALUES (?, ?, ?, ?, ?)")
                .params(emailId, number.group(1), amount, total.group(2), pdf.filename()).update();
        return new InvoiceExtraction(true, number.group(1), amount, total.group(2), pdf.filename(), pdf.size(), null);
    }

    private static InvoiceExtraction failed(AttachmentData pdf, String why) {
        return new InvoiceExtraction(false, null, null, null, pdf.filename(), pdf.size(), why);
    }
}
