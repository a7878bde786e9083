package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.Redaction;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/** {@code mailtrail.capture.*}: what captured events may carry. */
public class MailtrailCaptureProperties {

    /**
     * Sensitive names: a parameter, metadata key, map key or property whose name contains one
     * of them (ignoring case, '_', '-', '.' and spaces) is logged as "[redacted]". Setting this
     * replaces the defaults; to add names, use additional-redacted-names.
     */
    private List<String> redactedNames = new ArrayList<>(Redaction.DEFAULT_NAMES);

    /** Sensitive names added to redacted-names. */
    private List<String> additionalRedactedNames = new ArrayList<>();

    /** Nesting levels of maps, lists and objects kept in metadata. */
    private int maxDepth = CaptureLimits.DEFAULT_MAX_DEPTH;

    /** Elements kept per collection, map or array. */
    private int maxCollectionSize = CaptureLimits.DEFAULT_MAX_COLLECTION_SIZE;

    /** Characters kept per string, and of the description. At least 32. */
    private int maxStringLength = CaptureLimits.DEFAULT_MAX_STRING_LENGTH;

    /** Approximate UTF-8 size of one event's metadata. At least 256 bytes. */
    private DataSize maxTotalBytes = DataSize.ofBytes(CaptureLimits.DEFAULT_MAX_TOTAL_BYTES);

    /** Stack frames kept of an exception a logged method throws. */
    private int maxStackFrames = CaptureLimits.DEFAULT_MAX_STACK_FRAMES;

    /**
     * Events one call logs per forEach annotation (one per element); the elements beyond are
     * counted (mailtrail.capture.events{result=skipped_element_cap}) and reported, not logged.
     */
    private int maxForEachElements = CaptureLimits.DEFAULT_MAX_FOR_EACH_ELEMENTS;

    /**
     * Packages whose stack frames an error event keeps, as error trackers' "in app" packages
     * (com.acme); the other frames are counted in one line. Unset: every frame but the JDK's,
     * Spring's, the servlet container's, the weavers' and Mailtrail's.
     */
    private List<String> inAppPackages = new ArrayList<>();

    public int getMaxForEachElements() {
        return maxForEachElements;
    }

    public void setMaxForEachElements(int maxForEachElements) {
        this.maxForEachElements = PropertyChecks.checkedSetting("capture.maxForEachElements", maxForEachElements);
    }

    public int getMaxStackFrames() {
        return maxStackFrames;
    }

    public void setMaxStackFrames(int maxStackFrames) {
        this.maxStackFrames = PropertyChecks.checkedSetting("capture.maxStackFrames", maxStackFrames);
    }

    public List<String> getInAppPackages() {
        return inAppPackages;
    }

    public void setInAppPackages(List<String> inAppPackages) {
        this.inAppPackages = inAppPackages;
    }

    public List<String> getRedactedNames() {
        return redactedNames;
    }

    public void setRedactedNames(List<String> redactedNames) {
        PropertyChecks.checked("mailtrail.capture.redacted-names", () -> Redaction.of(redactedNames));
        this.redactedNames = redactedNames;
    }

    public List<String> getAdditionalRedactedNames() {
        return additionalRedactedNames;
    }

    public void setAdditionalRedactedNames(List<String> additionalRedactedNames) {
        PropertyChecks.checked("mailtrail.capture.additional-redacted-names", () -> Redaction.of(additionalRedactedNames));
        this.additionalRedactedNames = additionalRedactedNames;
    }

    public int getMaxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
        PropertyChecks.checked("mailtrail.capture.max-depth", () -> CaptureLimits.defaults().withMaxDepth(maxDepth));
        this.maxDepth = maxDepth;
    }

    public int getMaxCollectionSize() {
        return maxCollectionSize;
    }

    public void setMaxCollectionSize(int maxCollectionSize) {
        PropertyChecks.checked("mailtrail.capture.max-collection-size",
                () -> CaptureLimits.defaults().withMaxCollectionSize(maxCollectionSize));
        this.maxCollectionSize = maxCollectionSize;
    }

    public int getMaxStringLength() {
        return maxStringLength;
    }

    public void setMaxStringLength(int maxStringLength) {
        PropertyChecks.checked("mailtrail.capture.max-string-length",
                () -> CaptureLimits.defaults().withMaxStringLength(maxStringLength));
        this.maxStringLength = maxStringLength;
    }

    public DataSize getMaxTotalBytes() {
        return maxTotalBytes;
    }

    public void setMaxTotalBytes(DataSize maxTotalBytes) {
        PropertyChecks.check(maxTotalBytes != null && maxTotalBytes.toBytes() <= Integer.MAX_VALUE, "mailtrail.capture.max-total-bytes",
                maxTotalBytes, "must be below 2GB");
        PropertyChecks.checked("mailtrail.capture.max-total-bytes",
                () -> CaptureLimits.defaults().withMaxTotalBytes((int) maxTotalBytes.toBytes()));
        this.maxTotalBytes = maxTotalBytes;
    }
}
