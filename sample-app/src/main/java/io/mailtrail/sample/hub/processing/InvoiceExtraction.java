package io.mailtrail.sample.hub.processing;

/** Invoice data read from a PDF, or why it could not be read ({@code success == false}). */
public record InvoiceExtraction(boolean success, String invoiceNumber, Double amount, String currency,
        String file, int size, String error) {

    /** The amount as invoices write it, e.g. {@code 1,234.56}. */
    public String amountText() {
        return amount == null ? null : String.format(java.util.Locale.ROOT, "%,.2f", amount);
    }
}
