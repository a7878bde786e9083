package io.mailtrail.sample.hub.processing;

/** Invoice data read from a PDF, or why it could not be read ({@code success == false}). */
public record InvoiceExtraction(boolean success, String invoiceNumber, Double amount, String currency,
        String file, int size, String error) {
}
