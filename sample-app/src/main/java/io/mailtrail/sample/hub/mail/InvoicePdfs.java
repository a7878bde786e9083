package io.mailtrail.sample.hub.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Writes the sample invoices with PDFBox, and a corrupted one that no PDF reader can open. */
public final class InvoicePdfs {

    private InvoicePdfs() {
    }

    /** A one-page invoice whose text holds "Invoice number: …" and "Total: … DKK". */
    public static byte[] invoice(String vendor, String invoiceNumber, String total, List<String> lines) {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(bold, 18);
                content.newLineAtOffset(60, 770);
                content.showText(vendor);
                content.setFont(regular, 12);
                content.setLeading(18);
                content.newLine();
                content.newLine();
                content.showText("Invoice number: " + invoiceNumber);
                content.newLine();
                content.showText("Invoice date: 2025-12-15    Payment terms: 30 days");
                content.newLine();
                content.newLine();
                for (String line : lines) {
                    content.showText(line);
                    content.newLine();
                }
                content.newLine();
                content.setFont(bold, 12);
                content.showText("Total: " + total + " DKK");
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file that starts like a PDF but holds no objects: the header, then bytes that are not a
     * PDF body (as left behind by a broken upload). PDFBox refuses it.
     */
    public static byte[] corrupted() {
        byte[] garbage = new byte[2048];
        new Random(1043).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            // no accidental "obj", "trailer" or "xref" keywords: only non-ASCII bytes
            garbage[i] = (byte) (garbage[i] | 0x80);
        }
        byte[] header = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] pdf = new byte[header.length + garbage.length];
        System.arraycopy(header, 0, pdf, 0, header.length);
        System.arraycopy(garbage, 0, pdf, header.length, garbage.length);
        return pdf;
    }
}
