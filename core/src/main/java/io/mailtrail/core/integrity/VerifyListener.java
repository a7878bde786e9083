package io.mailtrail.core.integrity;

/** Receives verify's results as they are found, so a caller can print them while it runs. */
public interface VerifyListener {

    /** One window's verdict, in created_at order. */
    void onWindow(WindowVerdict verdict);

    /** A problem of the chain as a whole (checkpoints, an expected head), before the windows. */
    default void onChainFinding(Finding finding) {
    }

    /** Called about once a second on long runs. */
    default void onProgress(long rowsChecked, long windowsChecked, double rowsPerSecond) {
    }

    static VerifyListener none() {
        return verdict -> { };
    }
}
